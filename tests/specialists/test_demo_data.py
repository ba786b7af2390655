"""`manage.py load_demo_data`: made-up specialists for development sites."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image

from accounts.models import User
from consultations.models import Booking, WeeklyWindow
from consultations.services import free_slots
from core.models import Topic
from pages.management.commands.load_demo_data import (
    DEMO_PASSWORD,
    DEMO_SPECIALIST_EMAIL,
    DEMO_STAFF_EMAIL,
    DEMOS,
    REVIEW_DEMOS,
)
from specialists.models import Approach, Language, Specialist
from specialists.photos import thumbnail_names
from tests.factories import make_user
from tests.html import parse_html


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def debug_on(settings, db):
    # The test runner turns DEBUG off whatever the environment says.
    settings.DEBUG = True


NOW = datetime(2026, 3, 20, 9, 10, tzinfo=UTC)


@pytest.fixture
def frozen_now(monkeypatch):
    """A fixed "now" for the command and the slot computation alike; the
    month after it crosses Europe's change to summer time (2026-03-29)."""
    clock = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    return clock


def demo_specialist(demo):
    return Specialist.objects.get(is_demo=True, display_name=demo.name)


def bookings_snapshot():
    return sorted(
        Booking.objects.values_list(
            "specialist__slug", "start", "status", "name", "email", "note"
        )
    )


def load_demo_data(*args):
    out = io.StringIO()
    call_command("load_demo_data", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot():
    """Everything the command writes, comparable between two runs."""
    return {
        "specialists": sorted(
            Specialist.objects.values_list(
                "slug", "user__email", "photo", "updated_at", "status"
            )
        ),
        "topics": sorted(Topic.objects.values_list("slug", "name")),
        "approaches": sorted(Approach.objects.values_list("slug", "name")),
        "languages": sorted(Language.objects.values_list("code", "name")),
        "links": sorted(
            Specialist.topics.through.objects.values_list("specialist_id", "topic_id")
        ),
        "users": User.objects.count(),
    }


def test_creates_about_twelve_approved_demo_specialists_with_photos(
    debug_on, settings, client
):
    load_demo_data()

    # Besides the few waiting in the review queue (tested below).
    demos = Specialist.objects.filter(is_demo=True).exclude(status="pending")
    assert demos.count() == 12
    assert set(demos.values_list("status", flat=True)) == {"approved"}
    for specialist in demos:
        assert specialist.user.email.endswith("@example.invalid")
        # Only the demo specialist login has a password.
        assert specialist.user.has_usable_password() == (
            specialist.user.email == DEMO_SPECIALIST_EMAIL
        )
        assert "demo profile" in specialist.bio
        assert "demo profile" in specialist.bio_html
        assert specialist.topics.exists()
        assert specialist.approaches.exists()
        assert specialist.languages.exists()
        path = settings.MEDIA_ROOT / specialist.photo.name
        with Image.open(path) as photo:
            assert (photo.format, photo.size) == ("JPEG", (400, 400))
        for name in thumbnail_names(specialist.photo.name):  # for the cards
            assert (settings.MEDIA_ROOT / name).exists()
    assert 9 <= demos.filter(offers_free_consultation=True).count() < 12
    assert 1 <= demos.filter(is_verified=True).count() < 12
    assert demos.values("country").distinct().count() >= 5
    assert demos.values("time_zone").distinct().count() >= 5
    assert {"workplace-bullying", "online-harassment", "stalking"} <= set(
        Topic.objects.values_list("slug", flat=True)
    )
    assert set(Language.objects.values_list("code", flat=True)) == {
        "en", "de", "fr", "es", "pl", "uk", "hi", "pt", "ja"
    }  # fmt: skip

    page = parse_html(client.get("/specialists/").content)
    cards = page.find_all("article", class_="specialist-card")
    assert len(cards) == 12
    assert all("Demo profile" in card.text for card in cards)


def test_reuses_the_topics_the_seed_article_created(debug_on, seed_article):
    load_demo_data()

    assert Topic.objects.filter(name="Sexual harassment").count() == 1
    assert Topic.objects.filter(name="Relationships").count() == 1
    harassment = Topic.objects.get(slug="sexual-harassment")
    assert harassment.specialists.filter(is_demo=True).exists()
    assert harassment.articles.filter(pk=seed_article.pk).exists()


def test_running_twice_changes_nothing(debug_on, settings, frozen_now):
    load_demo_data()
    before = snapshot()
    bookings_before = bookings_snapshot()
    windows_before = sorted(
        WeeklyWindow.objects.values_list(
            "availability__specialist__slug", "weekday", "start", "end"
        )
    )
    files_before = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*.jpg"))

    output = load_demo_data()

    assert snapshot() == before
    assert bookings_snapshot() == bookings_before
    assert (
        sorted(
            WeeklyWindow.objects.values_list(
                "availability__specialist__slug", "weekday", "start", "end"
            )
        )
        == windows_before
    )
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*.jpg")) == files_before
    assert "0 demo specialists created, 12 already there." in output


def test_free_consultations_have_free_times_unless_meant_to_be_fully_booked(
    debug_on, frozen_now
):
    load_demo_data()

    offering = [demo for demo in DEMOS if demo.free]
    assert 1 <= sum(demo.fully_booked for demo in offering) < len(offering)
    for demo in offering:
        specialist = demo_specialist(demo)
        assert specialist.offers_free_consultation
        slots = free_slots(specialist, now=NOW)
        if demo.fully_booked:
            assert slots == [], demo.name
            assert specialist.bookings.upcoming().exists()
        else:
            assert slots, demo.name


def test_a_run_a_week_later_books_from_the_new_now(debug_on, frozen_now):
    load_demo_data()
    frozen_now["now"] = later = NOW + timedelta(days=7)

    load_demo_data()

    for demo in DEMOS:
        specialist = demo_specialist(demo)
        upcoming = specialist.bookings.filter(status__in=["confirmed", "cancelled"])
        assert all(b.start > later for b in upcoming), demo.name
        assert (free_slots(specialist, now=later) == []) == (
            not demo.free or demo.fully_booked
        ), demo.name


def test_hours_are_realistic_and_spread_over_several_days(debug_on, frozen_now):
    load_demo_data()

    for demo in DEMOS:
        windows = WeeklyWindow.objects.filter(
            availability__specialist=demo_specialist(demo)
        )
        if demo.free:
            assert windows.values("weekday").distinct().count() >= 2, demo.name
            assert all(w.end > w.start for w in windows)
            assert all(w.start.hour >= 8 and w.end.hour <= 21 for w in windows)
        else:
            assert not windows.exists(), demo.name


def test_time_zones_cover_europe_the_americas_and_asia(debug_on):
    load_demo_data()

    zones = set(Specialist.objects.values_list("time_zone", flat=True))
    continents = {zone.split("/")[0] for zone in zones}
    assert {"Europe", "America", "Asia"} <= continents
    assert {"Europe/Berlin", "America/New_York", "Asia/Kolkata"} <= zones


def test_every_format_is_offered_and_every_booking_state_shown(debug_on, frozen_now):
    load_demo_data()

    demos = Specialist.objects.filter(is_demo=True, offers_free_consultation=True)
    assert demos.filter(offers_video=True).exists()
    assert demos.filter(offers_phone=True).exists()
    assert demos.filter(offers_in_person=True).exists()
    assert set(Booking.objects.values_list("status", flat=True)) == set(
        Booking.Status.values
    )
    assert Booking.objects.filter(status="completed", start__lt=NOW).exists()
    assert Booking.objects.filter(status="cancelled", start__gt=NOW).exists()
    assert set(Booking.objects.values_list("preferred_format", flat=True)) == set(
        Booking.Format.values
    )


def test_demo_bookings_are_made_up_visitors_marked_as_demo(debug_on, frozen_now):
    load_demo_data()

    bookings = Booking.objects.all()
    assert bookings.count() > 20
    for booking in bookings:
        assert booking.email.endswith("@example.org")
        assert booking.note == "Demo booking"
        assert booking.specialist.is_demo
        assert booking.is_active == (booking.status != "cancelled")


def test_a_real_booking_on_a_demo_profile_survives_a_rerun(debug_on, frozen_now):
    load_demo_data()
    ada = demo_specialist(DEMOS[0])
    start = free_slots(ada, now=NOW)[0]
    real = Booking.objects.create(
        specialist=ada,
        start=start,
        name="Someone Trying The Site",
        email="tester@example.com",
        preferred_format="video",
        consented_at=NOW,
        form_token="real-form",
        manage_token_hash="real-hash",
    )

    load_demo_data()

    assert Booking.objects.filter(pk=real.pk, status="confirmed").exists()
    assert start not in free_slots(ada, now=NOW)


def test_refuses_to_load_when_debug_is_off(settings, db):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        load_demo_data()

    assert not Specialist.objects.exists()
    assert not User.objects.exists()


def test_force_loads_even_when_debug_is_off(settings, db):
    settings.DEBUG = False

    load_demo_data("--force")

    assert Specialist.objects.filter(is_demo=True).count() == 14


def test_remove_deletes_the_demo_users_profiles_and_photos(
    debug_on, settings, django_capture_on_commit_callbacks
):
    load_demo_data()
    real = make_user()
    photos = list(settings.MEDIA_ROOT.rglob("*.jpg"))
    assert len(photos) == 14 * 7  # each with its six thumbnails

    with django_capture_on_commit_callbacks(execute=True):
        output = load_demo_data("--remove")

    assert not Specialist.objects.exists()
    assert list(User.objects.all()) == [real]
    assert not any(path.exists() for path in photos)
    assert "14 demo specialists removed." in output
    assert not Booking.objects.exists()
    # The shared reference data stays: real profiles may use it.
    assert Topic.objects.filter(slug="stalking").exists()


def test_remove_dry_run_deletes_nothing(debug_on):
    load_demo_data()

    output = load_demo_data("--remove", "--dry-run")

    assert Specialist.objects.filter(is_demo=True).count() == 14
    assert "Would delete Ada Example (demo-1@example.invalid)" in output


def test_every_demo_specialist_can_be_booked_in_every_format_they_offer(debug_on):
    load_demo_data()

    for specialist in Specialist.objects.filter(is_demo=True):
        offered = [
            name
            for name, offers in [
                ("video", specialist.offers_video),
                ("phone", specialist.offers_phone),
                ("in_person", specialist.offers_in_person),
            ]
            if offers
        ]
        assert specialist.meeting_formats() == offered, specialist.display_name
        assert (
            specialist.video_link.startswith("https://") or not specialist.offers_video
        )


def test_the_demo_specialist_can_log_in_and_owns_a_bookable_profile_with_bookings(
    debug_on, client
):
    output = load_demo_data()

    assert f"{DEMO_SPECIALIST_EMAIL} / {DEMO_PASSWORD}" in output
    response = client.post(
        "/accounts/login/",
        {"login": DEMO_SPECIALIST_EMAIL, "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    specialist = Specialist.objects.bookable().get(user__email=DEMO_SPECIALIST_EMAIL)
    assert specialist.is_demo
    assert specialist.bookings.upcoming().exists()
    assert client.get("/specialists/me/").status_code == 200


def test_the_demo_staff_member_can_review_profiles_but_is_no_superuser(
    debug_on, client
):
    output = load_demo_data()

    assert f"{DEMO_STAFF_EMAIL} / {DEMO_PASSWORD}" in output
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    assert staff.is_staff and not staff.is_superuser
    assert staff.has_perm("specialists.change_specialist")
    assert staff.has_perm("specialists.view_specialist")
    assert not staff.has_perm("specialists.delete_specialist")
    assert not staff.has_perm("accounts.change_user")
    response = client.post(
        "/accounts/login/", {"login": DEMO_STAFF_EMAIL, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/specialists/specialist/").status_code == 200


def test_no_demo_logins_with_debug_off_even_when_forced(settings, db):
    settings.DEBUG = False

    output = load_demo_data("--force")

    assert not User.objects.filter(email=DEMO_STAFF_EMAIL).exists()
    assert not User.objects.get(email=DEMO_SPECIALIST_EMAIL).has_usable_password()
    assert DEMO_PASSWORD not in output


def test_the_demo_logins_are_where_a_newcomer_looks(settings):
    readme = (settings.BASE_DIR / "README.md").read_text()
    first_section = readme.split("\n## ")[0]
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    for text in (first_section, makefile):
        assert DEMO_SPECIALIST_EMAIL in text
        assert DEMO_STAFF_EMAIL in text
        assert DEMO_PASSWORD in text


def test_the_review_queue_has_a_new_and_a_resubmitted_demo_profile(
    debug_on, admin_client
):
    load_demo_data()

    queue = admin_client.get("/admin/specialists/specialistreview/").content.decode()
    rows = parse_html(queue).find("table", id="result_list").find_all("tr")[1:]
    assert [
        (row.find("th").text.strip(), row.find("td", class_="field-kind").text)
        for row in rows
    ] == [("Noor Newcomer", "New profile"), ("Eden Edited", "Re-submitted")]
    edited = Specialist.objects.get(display_name="Eden Edited")
    page = admin_client.get(f"/admin/specialists/specialistreview/{edited.pk}/change/")
    diff = parse_html(page.content.decode()).find("table", class_="review-diff")
    assert [th.text for th in diff.find("tbody").find_all("th")] == [
        "Headline",
        "About you",
    ]


def test_demo_profiles_decided_on_wait_for_review_again_on_the_next_run(debug_on):
    load_demo_data()
    waiting = Specialist.objects.filter(status="pending", is_demo=True)
    for specialist in waiting:
        specialist.status = Specialist.Status.APPROVED
        specialist.save()

    output = load_demo_data()

    assert sorted(waiting.values_list("display_name", flat=True)) == sorted(
        demo.name for demo in REVIEW_DEMOS
    )
    assert "2 demo profiles put in the review queue, 0 already there." in output
    assert (
        Specialist.objects.get(display_name="Eden Edited").approved_snapshot["headline"]
        == "Psychologist"
    )
