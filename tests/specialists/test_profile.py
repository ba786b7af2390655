"""A specialist's profile: create, submit, review, edit; who sees what."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from core.models import Topic
from specialists import services
from specialists.models import Language, Specialist
from tests.factories import make_staff, make_user, make_verified_user
from tests.html import parse_html


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def profile_data(**overrides):
    data = {
        "display_name": "Dr Rowan Example",
        "headline": "Clinical psychologist",
        "bio": "I work with people after *harassment*.",
        "offers_video": "on",
        "video_link": "https://meet.example.org/rowan",
        "time_zone": "Europe/Berlin",
        "city": "Berlin",
        "country": "DE",
        "registration_number": "PSY-12345",
        "offers_free_consultation": "on",
        "accepting_new_clients": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def photo(fmt="PNG", size=(1200, 900), name="me.png", content_type="image/png"):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (120, 160, 170))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    if fmt == "JPEG":
        image.save(buffer, fmt, exif=exif, comment=b"Secret comment")
    else:
        image.save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


@pytest.fixture
def visitor():
    """Someone who is not logged in (the `client` fixture is the specialist's)."""
    return Client()


@pytest.fixture
def specialist_client(client, db):
    user = make_verified_user()
    client.force_login(user)
    client.user = user
    return client


def create(client, **overrides):
    return client.post("/specialists/new/", profile_data(**overrides))


def test_anonymous_visitor_gets_the_specialist_profile_prompt(client, db):
    response = client.get("/specialists/new/")

    main = parse_html(response.content).find("main")
    assert main.find("h1").text == (
        "To create your specialist profile, please log in to your account."
    )
    assert main.find("a", class_="button").attrs["href"] == (
        "/accounts/login/?next=/specialists/new/"
    )


def test_life_cycle_create_submit_request_changes_approve_edit(
    specialist_client, mailoutbox, django_capture_on_commit_callbacks
):
    response = create(specialist_client, submit="1")
    assert response.status_code == 302
    specialist = Specialist.objects.get(user=specialist_client.user)
    assert specialist.status == Specialist.Status.PENDING
    assert specialist.slug == "dr-rowan-example"

    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(
            specialist=specialist, reason="Please add your qualifications."
        )
    dashboard = specialist_client.get("/specialists/me/").content.decode()
    assert "Please add your qualifications." in dashboard
    assert mailoutbox[-1].to == [specialist_client.user.email]
    assert "Please add your qualifications." in mailoutbox[-1].body
    assert "harass" not in mailoutbox[-1].subject.lower()

    specialist_client.post(
        "/specialists/me/edit/",
        profile_data(qualifications="MSc Psychology", submit="1"),
    )
    specialist.refresh_from_db()
    assert specialist.status == Specialist.Status.PENDING

    services.approve(specialist=specialist)
    assert specialist_client.get("/specialists/dr-rowan-example/").status_code == 200

    specialist_client.post(
        "/specialists/me/edit/",
        profile_data(qualifications="MSc Psychology", accepting_new_clients=None),
    )
    specialist.refresh_from_db()
    assert specialist.status == Specialist.Status.APPROVED  # a minor edit stays public
    assert specialist.accepting_new_clients is False


def test_substantial_change_sends_an_approved_profile_back_to_review(specialist_client):
    create(specialist_client)
    specialist = Specialist.objects.get()
    services.approve(specialist=specialist)

    response = specialist_client.post(
        "/specialists/me/edit/", profile_data(headline="Psychotherapist"), follow=True
    )

    specialist.refresh_from_db()
    assert specialist.status == Specialist.Status.PENDING
    assert "once our team has reviewed them" in response.content.decode()


def test_one_profile_per_account(specialist_client):
    create(specialist_client)

    response = specialist_client.get("/specialists/new/")

    assert response.status_code == 302
    assert response["Location"] == "/specialists/me/edit/"
    create(specialist_client, display_name="Second Profile")
    assert Specialist.objects.count() == 1


def test_unapproved_profile_is_404_for_others_and_a_preview_for_its_owner(
    specialist_client,
):
    create(specialist_client)
    url = "/specialists/dr-rowan-example/"

    owner_view = specialist_client.get(url)
    assert owner_view.status_code == 200
    assert "Preview: this page is not public" in owner_view.content.decode()
    assert Client().get(url).status_code == 404
    other = Client()
    other.force_login(make_verified_user())
    assert other.get(url).status_code == 404
    staff = Client()
    staff.force_login(make_staff())
    assert staff.get(url).status_code == 200


def test_a_specialist_edits_only_their_own_profile(specialist_client):
    create(specialist_client)
    other = Client()
    other.force_login(make_verified_user())

    response = other.get("/specialists/me/edit/")

    assert response.status_code == 404
    assert other.post("/specialists/me/submit/").status_code == 404


def test_registration_number_is_never_shown_publicly(specialist_client, visitor):
    create(specialist_client)
    specialist = Specialist.objects.get()
    specialist.is_verified = True
    specialist.save()
    services.approve(specialist=specialist)

    content = visitor.get(specialist.get_absolute_url()).content.decode()

    assert "PSY-12345" not in content
    assert "Verified" in content


def test_profile_page_shows_the_facts_and_json_ld(specialist_client, visitor):
    language = Language.objects.create(code="de", name="German")
    topic = Topic.objects.create(name="Stalking", slug="stalking")
    create(specialist_client, languages=[language.pk], topics=[topic.pk])
    specialist = Specialist.objects.get()
    services.approve(specialist=specialist)

    page = parse_html(visitor.get(specialist.get_absolute_url()).content)

    dl = page.find("dl", class_="profile-facts")
    facts = {
        dt.text: dd.text
        for dt, dd in zip(dl.find_all("dt"), dl.find_all("dd"), strict=True)
    }
    assert facts["Topics"] == "Stalking"
    assert facts["Languages"] == "German"
    assert facts["Location"] == "Berlin, Germany"
    assert page.find("script", type="application/ld+json")
    assert page.find("div", class_="prose").find("em").text == "harassment"


def test_photo_is_made_square_small_and_stripped_of_metadata(specialist_client):
    create(specialist_client, photo=photo("JPEG", (1600, 1200), "me.jpg", "image/jpeg"))

    specialist = Specialist.objects.get()
    with Image.open(specialist.photo.path) as stored:
        assert stored.size == (800, 800)
        assert stored.format == "JPEG"
        assert not stored.getexif()
    assert b"Secret" not in specialist.photo.read()


@pytest.mark.parametrize(
    "upload,message",
    [
        (
            SimpleUploadedFile("me.jpg", b"just some text", content_type="image/jpeg"),
            "valid image",
        ),
        (photo("GIF", (10, 10), "me.gif", "image/gif"), "JPEG, PNG or WebP"),
    ],
)
def test_bad_photo_is_a_clear_error_and_nothing_is_saved(
    specialist_client, upload, message
):
    response = create(specialist_client, photo=upload)

    assert response.status_code == 200
    assert (
        message in parse_html(response.content).find("div", class_="error-summary").text
    )
    assert Specialist.objects.count() == 0


def test_photo_over_5_mb_is_refused(specialist_client):
    noise = Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    assert buffer.tell() > 5 * 1024 * 1024
    upload = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")

    response = create(specialist_client, photo=upload)

    assert "larger than 5 MB" in response.content.decode()
    assert Specialist.objects.count() == 0


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decompression_bomb_photo_is_refused(specialist_client):
    response = create(specialist_client, photo=photo("PNG", (10_000, 10_000)))

    assert "too large" in response.content.decode()
    assert Specialist.objects.count() == 0


def test_script_and_javascript_links_in_the_bio_are_inert(specialist_client, visitor):
    create(
        specialist_client,
        bio='<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="alert(1)">',
    )
    specialist = Specialist.objects.get()
    services.approve(specialist=specialist)

    content = visitor.get(specialist.get_absolute_url()).content.decode()

    assert "<script>alert" not in content
    assert "javascript:" not in content
    assert "onerror" not in content


@pytest.mark.parametrize(
    "field,value",
    [("display_name", "x" * 101), ("headline", "x" * 121), ("bio", "x" * 5001)],
)
def test_over_long_fields_are_refused_with_nothing_saved(
    specialist_client, field, value
):
    response = create(specialist_client, **{field: value})

    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
    assert Specialist.objects.count() == 0


def test_at_least_one_way_to_meet_is_required(specialist_client):
    response = create(specialist_client, offers_video=None)

    assert "Choose at least one way to meet." in response.content.decode()


def test_unverified_user_cannot_create_a_profile(client, db):
    client.force_login(make_user())

    response = create(client)

    assert response.status_code == 403
    assert Specialist.objects.count() == 0


def test_approved_profiles_are_in_the_sitemap_and_others_are_not(
    specialist_client, visitor
):
    create(specialist_client)
    specialist = Specialist.objects.get()
    sitemap = visitor.get("/sitemap.xml").content.decode()
    assert specialist.get_absolute_url() not in sitemap

    services.approve(specialist=specialist)

    assert specialist.get_absolute_url() in visitor.get("/sitemap.xml").content.decode()


def test_profile_page_makes_at_most_6_queries(
    specialist_client, django_assert_max_num_queries
):
    language = Language.objects.create(code="en", name="English")
    topic = Topic.objects.create(name="Trauma", slug="trauma")
    create(specialist_client, languages=[language.pk], topics=[topic.pk], photo=photo())
    specialist = Specialist.objects.get()
    services.approve(specialist=specialist)

    with django_assert_max_num_queries(6):
        response = Client().get(specialist.get_absolute_url())  # a visitor

    assert response.status_code == 200
    assert parse_html(response.content).find("img", class_="profile-photo").attrs[
        "alt"
    ] == ("Photo of Dr Rowan Example")


def test_dashboard_links_to_availability_consultations_and_messages(specialist_client):
    create(specialist_client)

    page = parse_html(specialist_client.get("/specialists/me/").content)

    assert page.find("title").text == "Your specialist dashboard"
    links = [a.attrs["href"] for a in page.find("main").find_all("a")]
    for href in [
        "/specialists/me/availability/",
        "/specialists/me/consultations/",
        "/messages/",
    ]:
        assert href in links


@pytest.mark.parametrize(
    ("bio", "message"),
    [
        # Raised RecursionError: a 500.
        ("*" * 2499 + "a" + "*" * 2500, "more than 1000 formatting marks"),
        ("**" + "*" * 20 + "a" + "*" * 20, "A run of more than 11"),
        ("[" * 20 + "a" + "]" * 20, "nested more than 6 deep"),
    ],
)
def test_a_bio_too_costly_to_render_is_a_form_error_and_the_text_is_kept(
    specialist_client, bio, message
):
    response = create(specialist_client, bio=bio)

    assert response.status_code == 200
    page = parse_html(response.content)
    textarea = page.find("textarea", name="bio")
    assert textarea.attrs["aria-invalid"] == "true"
    assert textarea.text.strip("\n") == bio
    assert message in page.find(id="id_bio_error").text
    assert not Specialist.objects.exists()


def test_a_bio_too_costly_to_render_is_refused_on_edit_too(specialist_client):
    create(specialist_client)
    specialist = Specialist.objects.get()

    response = specialist_client.post(
        "/specialists/me/edit/", profile_data(bio="> " * 40 + "deep")
    )

    assert response.status_code == 200
    assert "go more than 6 levels deep" in response.content.decode()
    specialist.refresh_from_db()
    assert specialist.bio == "I work with people after *harassment*."
