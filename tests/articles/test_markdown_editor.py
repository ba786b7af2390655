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


def test_preview_refuses_a_text_longer_than_a_bio_for_a_specialist(client, db):
    client.force_login(make_verified_user())

    assert client.post(PREVIEW, {"content": "a" * 5000}).status_code == 200
    response = client.post(PREVIEW, {"content": "a" * 5001})

    assert response.status_code == 422
    assert response.content.decode() == (
        '<p class="notice">This text has 5001 characters; the most is 5000.</p>'
    )


def test_preview_takes_an_article_sized_text_from_staff_only(staff_client):
    assert staff_client.post(PREVIEW, {"content": "a" * 30000}).status_code == 200
    response = staff_client.post(PREVIEW, {"content": "a" * 30001})

    assert response.status_code == 422
    assert "the most is 30000" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 2500 + "]" * 2500, "more than 1000 formatting marks"),
        ("*" * 2499 + "a" + "*" * 2500, "more than 1000 formatting marks"),
        ("[" * 20 + "a" + "]" * 20, "nested more than 6 deep"),
        ("> " * 40 + "deep", "go more than 6 levels deep"),
    ],
)
def test_preview_refuses_text_too_costly_to_render_with_a_message(
    client, db, content, message
):
    client.force_login(make_verified_user())

    response = client.post(PREVIEW, {"content": content})

    assert response.status_code == 422
    assert message in response.content.decode()


def test_preview_is_limited_per_user_with_retry_after(client, db):
    user = make_verified_user()
    client.force_login(user)
    for _ in range(30):
        assert client.post(PREVIEW, {"content": "x"}).status_code == 200

    refused = client.post(PREVIEW, {"content": "x"})

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 30
    assert "Too many previews" in refused.content.decode()
    # Another user previews as before.
    client.force_login(make_verified_user())
    assert client.post(PREVIEW, {"content": "x"}).status_code == 200


def test_preview_limit_frees_up_after_its_window(client, db, clock):
    client.force_login(make_verified_user())
    for _ in range(31):
        client.post(PREVIEW, {"content": "x"})

    clock.advance(seconds=31)

    assert client.post(PREVIEW, {"content": "x"}).status_code == 200
