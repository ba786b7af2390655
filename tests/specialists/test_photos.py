"""Profile photos: thumbnails for each slot, files removed with their rows,
and no metadata in anything stored."""

import functools
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError
from PIL import Image, ImageCms, PngImagePlugin

from specialists.models import Language, Specialist, SpecialistQuerySet
from tests.factories import (
    jpeg_bytes,
    make_bookable_specialist,
    make_specialist,
    make_verified_user,
)
from tests.html import parse_html
from tests.specialists.test_profile import create, profile_data

SIDES = (56, 96, 112, 160, 192, 320)
GPS_LATITUDE = (52.0, 31.0, 12.345)  # rationals Pillow writes as 8-byte pairs
SECRETS = (b"SecretCamera", b"SecretPlace", b"Secret comment", b"SecretText")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def specialist_client(client, db):
    user = make_verified_user()
    client.force_login(user)
    client.user = user
    return client


def with_photo(specialist, name="photo.jpg", size=(400, 400)):
    specialist.photo.save(name, ContentFile(jpeg_bytes(size)))
    return specialist


def stored_files(media_root):
    return sorted(
        str(path.relative_to(media_root)) for path in media_root.rglob("*.jpg")
    )


def photo_and_thumbnails(name):
    stem = name.removesuffix(".jpg")
    return sorted([name, *(f"{stem}-{side}.jpg" for side in SIDES)])


def test_saving_a_photo_writes_a_square_thumbnail_for_every_slot(
    specialist_client, media_root
):
    upload = SimpleUploadedFile(
        "me.jpg", jpeg_bytes((1600, 1200)), content_type="image/jpeg"
    )
    create(specialist_client, photo=upload)

    name = Specialist.objects.get().photo.name
    assert stored_files(media_root) == photo_and_thumbnails(name)
    for side in SIDES:
        thumbnail = media_root / name.replace(".jpg", f"-{side}.jpg")
        with Image.open(thumbnail) as image:
            assert (image.format, image.size) == ("JPEG", (side, side))


def test_a_small_photo_is_not_enlarged_for_its_large_thumbnails(db, media_root):
    specialist = with_photo(make_specialist(), size=(120, 120))

    stem = media_root / specialist.photo.name.removesuffix(".jpg")
    sizes = {side: Image.open(f"{stem}-{side}.jpg").size for side in SIDES}
    assert sizes == {
        56: (56, 56),
        96: (96, 96),
        112: (112, 112),
        160: (120, 120),
        192: (120, 120),
        320: (120, 120),
    }


def test_cards_and_profile_offer_1x_and_2x_thumbnails_with_their_box(client, db):
    specialist = with_photo(
        make_bookable_specialist(display_name="Ben Brook", slug="ben-brook"),
        "ben.jpg",
    )
    assert specialist.photo.name == "specialists/ben.jpg"

    card = parse_html(client.get("/specialists/").content).find(
        "img", class_="card-photo"
    )
    profile = parse_html(client.get("/specialists/ben-brook/").content).find(
        "img", class_="profile-photo"
    )
    mini = parse_html(client.get("/consultations/free/").content).find(
        "img", class_="mini-photo"
    )

    assert card.attrs == {
        "class": "card-photo",
        "src": "/media/specialists/ben-96.jpg",
        "srcset": "/media/specialists/ben-96.jpg 96w, /media/specialists/ben-192.jpg 192w",
        "sizes": "(max-width: 30rem) 64px, 96px",
        "width": "96",
        "height": "96",
        "alt": "Ben Brook",
        "loading": "lazy",
        "decoding": "async",
    }
    assert (profile.attrs["src"], profile.attrs["width"], profile.attrs["height"]) == (
        "/media/specialists/ben-160.jpg",
        "160",
        "160",
    )
    assert profile.attrs["srcset"] == (
        "/media/specialists/ben-96.jpg 96w, /media/specialists/ben-160.jpg 160w, "
        "/media/specialists/ben-192.jpg 192w, /media/specialists/ben-320.jpg 320w"
    )
    assert profile.attrs["sizes"] == "(max-width: 30rem) 96px, 160px"
    assert "loading" not in profile.attrs  # at the top of the page
    assert (mini.attrs["src"], mini.attrs["srcset"], mini.attrs["sizes"]) == (
        "/media/specialists/ben-56.jpg",
        "/media/specialists/ben-56.jpg 56w, /media/specialists/ben-112.jpg 112w",
        "56px",
    )
    assert (mini.attrs["width"], mini.attrs["height"]) == ("56", "56")


def test_photos_add_no_query_to_the_directory(
    client, db, django_assert_num_queries, django_assert_max_num_queries
):
    with_photo(make_specialist())
    # 6, and the page cache's check of the public content version.
    with django_assert_max_num_queries(7) as captured:
        client.get("/specialists/")
    with_one = len(captured)
    for _ in range(4):
        with_photo(make_specialist())

    with django_assert_num_queries(with_one):
        response = client.get("/specialists/")

    assert len(parse_html(response.content).find_all("img", class_="card-photo")) == 5


def test_replacing_the_photo_deletes_the_old_one_and_its_thumbnails(
    specialist_client, media_root, django_capture_on_commit_callbacks
):
    first = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    create(specialist_client, photo=first)
    old = Specialist.objects.get().photo.name
    second = SimpleUploadedFile("b.jpg", jpeg_bytes(), content_type="image/jpeg")

    with django_capture_on_commit_callbacks(execute=True):
        response = specialist_client.post(
            "/specialists/me/edit/", profile_data(photo=second)
        )

    assert response.status_code == 302
    new = Specialist.objects.get().photo.name
    assert new != old
    assert stored_files(media_root) == photo_and_thumbnails(new)


def test_clearing_the_photo_on_the_site_deletes_it(
    specialist_client, media_root, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    create(specialist_client, photo=upload)

    with django_capture_on_commit_callbacks(execute=True):
        specialist_client.post(
            "/specialists/me/edit/", profile_data(**{"photo-clear": "on"})
        )

    assert Specialist.objects.get().photo.name == ""
    assert stored_files(media_root) == []


def admin_form_data(page):
    """What the admin's change form would post as it stands."""
    form = page.find("form", id="specialist_form")
    data = {}
    for field in form.iter():
        name = field.attrs.get("name")
        if not name or field.attrs.get("type") in ("file", "submit"):
            continue
        if field.tag == "input" and field.attrs.get("type") == "checkbox":
            if "checked" in field.attrs:
                data.setdefault(name, []).append(field.attrs.get("value", "on"))
        elif field.tag == "input":
            data[name] = field.attrs.get("value", "")
        elif field.tag == "textarea":
            data[name] = field.text.removeprefix("\n")
        elif field.tag == "select":
            chosen = [
                option.attrs.get("value", option.text)
                for option in field.find_all("option")
                if "selected" in option.attrs
            ]
            data[name] = chosen if "multiple" in field.attrs else chosen[:1]
    return data


def test_staff_clearing_the_photo_in_the_admin_deletes_it(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    client = admin_client
    specialist = with_photo(make_specialist(country="DE", city="Berlin"))
    url = f"/admin/specialists/specialist/{specialist.pk}/change/"
    data = admin_form_data(parse_html(client.get(url).content))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "photo-clear": "on"})

    assert response.status_code == 302, response.content.decode()[:2000]
    specialist.refresh_from_db()
    assert specialist.photo.name == ""
    assert stored_files(media_root) == []


def test_a_photo_staff_upload_in_the_admin_is_processed_like_the_sites(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    client = admin_client
    specialist = make_specialist(country="DE", city="Berlin")
    url = f"/admin/specialists/specialist/{specialist.pk}/change/"
    data = admin_form_data(parse_html(client.get(url).content))
    upload = SimpleUploadedFile(
        "staff.jpg", jpeg_with_every_metadata_block(), content_type="image/jpeg"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "photo": upload})

    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.photo.name != "specialists/staff.jpg"  # a random name
    assert stored_files(media_root) == photo_and_thumbnails(specialist.photo.name)
    for name in stored_files(media_root):
        assert_no_metadata((media_root / name).read_bytes())


def test_deleting_the_account_deletes_the_profile_and_its_photo(
    client, db, media_root, django_capture_on_commit_callbacks
):
    user = make_verified_user()
    with_photo(make_specialist(user=user))
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/delete/", {"password": "a-long-test-password"})

    assert response.status_code == 302
    assert not Specialist.objects.exists()
    assert stored_files(media_root) == []


def test_a_failed_save_keeps_the_photo_the_row_still_names(
    specialist_client, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    create(specialist_client, photo=upload)
    old = Specialist.objects.get().photo.name

    def fail(queryset):
        raise DatabaseError("disk full")

    # Fails after the row was written, inside the same transaction.
    monkeypatch.setattr(SpecialistQuerySet, "refresh_search_text", fail)
    second = SimpleUploadedFile("b.jpg", jpeg_bytes(), content_type="image/jpeg")
    language = Language.objects.create(code="en", name="English")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DatabaseError),
    ):
        specialist_client.post(
            "/specialists/me/edit/", profile_data(photo=second, languages=[language.pk])
        )

    assert Specialist.objects.get().photo.name == old
    assert set(photo_and_thumbnails(old)) <= set(stored_files(media_root))


def test_a_photo_another_row_still_names_is_kept(
    db, media_root, django_capture_on_commit_callbacks
):
    first = with_photo(make_specialist())
    make_specialist(photo=first.photo.name)

    with django_capture_on_commit_callbacks(execute=True):
        first.delete()

    assert stored_files(media_root) == photo_and_thumbnails(first.photo.name)


def test_create_thumbnails_writes_the_missing_ones(db, media_root):
    specialist = with_photo(make_specialist())
    for side in (96, 192):
        (media_root / specialist.photo.name.replace(".jpg", f"-{side}.jpg")).unlink()
    out = io.StringIO()

    call_command("create_thumbnails", stdout=out)

    assert stored_files(media_root) == photo_and_thumbnails(specialist.photo.name)
    assert "Thumbnails written for 1 photos; 0 photos missing." in out.getvalue()
    call_command("create_thumbnails", stdout=out)
    assert "Thumbnails written for 0 photos" in out.getvalue()


# Metadata. Each block is checked to be in the upload, then absent from
# every file stored: the photo and each of its thumbnails.


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x8825] = {1: "N", 2: GPS_LATITUDE, 3: "E", 4: (13.0, 24.0, 36.0)}
    return exif


@functools.cache
def srgb_profile():
    # Made once: LittleCMS stamps the time of creation, to the second, into the
    # profile's header, so two profiles made a second apart differ.
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf='
    b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    b'photoshop:City="SecretPlace"/></rdf:RDF></x:xmpmeta>'
)


def jpeg_with_every_metadata_block():
    data = jpeg_bytes(
        (900, 700),
        exif=gps_exif(),
        icc_profile=srgb_profile(),
        comment=b"Secret comment",
        xmp=XMP,
    )
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif().get_ifd(0x8825)[2] == GPS_LATITUDE
        assert image.info["xmp"] == XMP
        assert image.info["comment"] == b"Secret comment"
        assert image.info["icc_profile"] == srgb_profile()
    return data


def png_with_text_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "SecretPlace")
    info.add_text("Comment", "SecretText", zip=True)  # zTXt
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (500, 500), (90, 120, 150)).save(
        buffer, "PNG", pnginfo=info, exif=gps_exif(), icc_profile=srgb_profile()
    )
    return buffer.getvalue()


def webp_with_exif_and_xmp():
    buffer = io.BytesIO()
    Image.new("RGB", (500, 500), (90, 120, 150)).save(
        buffer, "WEBP", exif=gps_exif(), xmp=XMP, icc_profile=srgb_profile()
    )
    with Image.open(io.BytesIO(buffer.getvalue())) as image:
        assert {"exif", "xmp", "icc_profile"} <= set(image.info)
    return buffer.getvalue()


def jpeg_segments(data):
    """(marker, payload) of each segment before the image data."""
    assert data[:2] == b"\xff\xd8"
    segments, position = [], 2
    while True:
        assert data[position] == 0xFF
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the compressed pixels follow
            return segments
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        segments.append((marker, data[position + 4 : position + 2 + length]))
        position += 2 + length


def assert_no_metadata(data):
    segments = jpeg_segments(data)
    app_and_comments = [
        (marker, payload[:12])
        for marker, payload in segments
        if 0xE0 <= marker <= 0xEF or marker == 0xFE
    ]
    # APP0 JFIF only: no APP1 (EXIF, XMP), APP2 (ICC), other APPn or COM.
    assert [marker for marker, _ in app_and_comments] == [0xE0], app_and_comments
    assert app_and_comments[0][1].startswith(b"JFIF\x00")
    for secret in (*SECRETS, b"Exif", b"ns.adobe.com", b"ICC_PROFILE"):
        assert secret not in data
    latitude_seconds = (12345).to_bytes(4, "big")  # 12.345 as 12345/1000
    assert latitude_seconds not in data[: data.index(b"\xff\xda")]


@pytest.mark.parametrize(
    ("name", "content_type", "make"),
    [
        ("me.jpg", "image/jpeg", jpeg_with_every_metadata_block),
        ("me.png", "image/png", png_with_text_chunks),
        ("me.webp", "image/webp", webp_with_exif_and_xmp),
    ],
)
def test_no_metadata_block_survives_in_the_photo_or_its_thumbnails(
    specialist_client, media_root, name, content_type, make
):
    data = make()
    assert any(secret in data for secret in SECRETS)

    create(specialist_client, photo=SimpleUploadedFile(name, data, content_type))

    specialist = Specialist.objects.get()
    files = stored_files(media_root)
    assert files == photo_and_thumbnails(specialist.photo.name)
    for stored in files:
        assert_no_metadata((media_root / stored).read_bytes())
