import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import make_staff, make_user, make_verified_user

PREVIEW = "/markdownx/markdownify/"
UPLOAD = "/markdownx/upload/"
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def staff_client(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_staff())
    return client


def image_file(fmt="PNG", size=(40, 30), name="photo.png", content_type="image/png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_anonymous_visitor_cannot_use_the_editor_endpoints(client, db, url):
    assert client.post(url, {"content": "x"}).status_code == 403


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_unverified_user_cannot_use_the_editor_endpoints(client, db, url):
    client.force_login(make_user())

    assert client.post(url, {"content": "x"}).status_code == 403


def test_verified_user_can_preview_but_not_upload(client, db):
    client.force_login(make_verified_user())

    assert client.post(PREVIEW, {"content": "*x*"}).content == b"<p><em>x</em></p>"
    assert client.post(UPLOAD, {}).status_code == 403


def test_preview_is_sanitised_like_the_page(staff_client):
    response = staff_client.post(
        PREVIEW, {"content": "**Hi** <img src=x onerror=alert(1)> [a](javascript:x)"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Hi</strong>" in html
    assert "onerror" not in html
    assert "javascript:" not in html


def test_preview_without_content_is_empty_not_an_error(staff_client):
    assert staff_client.post(PREVIEW).status_code == 200


@pytest.mark.parametrize(
    "fmt,name,content_type",
    [
        ("PNG", "a.png", "image/png"),
        ("JPEG", "a.jpg", "image/jpeg"),
        ("WEBP", "a.webp", "image/webp"),
    ],
)
def test_staff_can_upload_jpeg_png_and_webp(
    staff_client, fmt, name, content_type, tmp_path
):
    response = staff_client.post(
        UPLOAD, {"image": image_file(fmt, name=name, content_type=content_type)}, **AJAX
    )

    assert response.status_code == 200, response.content
    assert response.json()["image_code"].startswith("![](/media/markdownx/")
    assert len(list((tmp_path / "markdownx").iterdir())) == 1


def test_uploaded_image_is_stored_upright_fitted_and_without_metadata(
    staff_client, tmp_path
):
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    buffer = io.BytesIO()
    Image.new("RGB", (3200, 1000), (200, 100, 50)).save(
        buffer, "JPEG", exif=exif, comment=b"Secret comment"
    )
    upload = SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")

    response = staff_client.post(UPLOAD, {"image": upload}, **AJAX)

    assert response.status_code == 200, response.content
    [stored_path] = (tmp_path / "markdownx").iterdir()
    assert b"Secret" not in stored_path.read_bytes()
    with Image.open(stored_path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (500, 1600)
        assert not stored.getexif()


def test_svg_upload_is_refused(staff_client):
    svg = SimpleUploadedFile(
        "a.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        content_type="image/svg+xml",
    )

    response = staff_client.post(UPLOAD, {"image": svg}, **AJAX)

    assert response.status_code == 400


def test_text_file_named_as_an_image_is_refused(staff_client):
    fake = SimpleUploadedFile("a.png", b"not an image at all", content_type="image/png")

    response = staff_client.post(UPLOAD, {"image": fake}, **AJAX)

    assert response.status_code == 400
    assert "JPEG, PNG or WebP" in response.content.decode()


def test_image_whose_bytes_disagree_with_its_type_is_refused(staff_client):
    gif_as_png = image_file("GIF", name="a.png", content_type="image/png")

    assert staff_client.post(UPLOAD, {"image": gif_as_png}, **AJAX).status_code == 400


def test_oversized_upload_is_refused(staff_client, settings):
    big = SimpleUploadedFile(
        "a.png", b"\x89PNG" + b"0" * (3 * 1024 * 1024 + 1), content_type="image/png"
    )

    assert staff_client.post(UPLOAD, {"image": big}, **AJAX).status_code == 400


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decompression_bomb_is_refused(staff_client):
    # A few kilobytes of PNG that would decode to 100 megapixels.
    bomb = image_file("PNG", size=(10_000, 10_000), name="bomb.png")

    response = staff_client.post(UPLOAD, {"image": bomb}, **AJAX)

    assert response.status_code == 400
    assert "too large" in response.content.decode()
