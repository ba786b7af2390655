"""Every write that public pages show reaches the NEXT anonymous request of
each page, although those pages are served from memory (core/pagecache.py)."""

from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from consultations import services as booking_services
from consultations.models import Booking
from core import pagecache
from questions.models import Question
from specialists.models import Specialist
from tests.consultations.test_availability_page import week
from tests.factories import (
    make_bookable_specialist,
    make_question,
    make_verified_user,
)
from tests.specialists.test_profile import profile_data

# The pages that show a specialist and their next free time.
SPECIALIST_PAGES = [
    "/",
    "/specialists/",
    "/specialists/?free=on",
    "/specialists/rowan/",
    "/specialists/rowan/book/",
    "/consultations/free/",
]


REVIEWED_AND_CITY = {*Specialist.REVIEWED_FIELDS, "city"}


@pytest.fixture
def rowan(db):
    # As the profile form saves it, so that the edit below is a minor one.
    return make_bookable_specialist(
        user=make_verified_user(),
        slug="rowan",
        **{k: v for k, v in profile_data().items() if k in REVIEWED_AND_CITY},
    )


@pytest.fixture
def visitor(monkeypatch):
    """An anonymous visitor served by another worker than the one that writes:
    only the public content version tells it of a write."""
    monkeypatch.setattr(pagecache, "forget_on_write", False)
    return Client()


def kept(visitor, urls):
    """Each page rendered, then served from memory once: the state to beat."""
    pages = {}
    for url in urls:
        visitor.get(url)
        pages[url] = visitor.get(url).content.decode()
    assert pagecache.plain_pages.page_count() + pagecache.queried_pages.page_count()
    return pages


def shows(slot):
    """How the pages write a time: <time datetime="…">, the picker's link (in
    the specialist's zone, as a visitor without JavaScript sees it)."""
    local = timezone.localtime(slot)
    berlin = slot.astimezone(ZoneInfo("Europe/Berlin"))
    return [f'datetime="{local.isoformat()}"', f"slot={quote(berlin.isoformat())}"]


def shows_slot(page, slot):
    return any(text in page for text in shows(slot))


def book(slot, captured):
    with captured(execute=True):
        response = Client().post(
            "/specialists/rowan/book/",
            {
                "slot": slot.isoformat(),
                "token": f"form-{slot:%H%M}",
                "tz": "Europe/Berlin",
                "name": "Sam",
                "email": "sam@example.org",
                "preferred_format": "video",
                "contact_preferences": "Email only",
                "note": "",
                "consent": "on",
            },
        )
    assert response.status_code == 302


def test_a_booking_shows_on_the_next_anonymous_request_of_every_page(
    rowan, visitor, django_capture_on_commit_callbacks
):
    first = booking_services.free_slots(rowan)[0]
    for url, page in kept(visitor, SPECIALIST_PAGES).items():
        assert shows_slot(page, first), url

    book(first, django_capture_on_commit_callbacks)

    for url in SPECIALIST_PAGES:
        assert not shows_slot(visitor.get(url).content.decode(), first), url


def test_a_cancellation_shows_on_the_next_anonymous_request_of_every_page(
    rowan, visitor, django_capture_on_commit_callbacks
):
    first = booking_services.free_slots(rowan)[0]
    book(first, django_capture_on_commit_callbacks)
    for url, page in kept(visitor, SPECIALIST_PAGES).items():
        assert not shows_slot(page, first), url

    with django_capture_on_commit_callbacks(execute=True):
        booking_services.cancel(booking=Booking.objects.get(), by="visitor", reason="")

    for url in SPECIALIST_PAGES:
        assert shows_slot(visitor.get(url).content.decode(), first), url


def test_a_specialists_profile_edit_shows_on_the_next_anonymous_request(
    rowan, visitor, django_capture_on_commit_callbacks
):
    urls = ["/specialists/", "/specialists/rowan/", "/specialists/?q=berlin"]
    for url, page in kept(visitor, urls).items():
        assert "Potsdam" not in page, url
    specialist = Client()
    specialist.force_login(rowan.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = specialist.post(
            "/specialists/me/edit/", profile_data(city="Potsdam")
        )

    assert response.status_code == 302
    rowan.refresh_from_db()
    assert rowan.status == Specialist.Status.APPROVED  # a minor edit stays public
    for url in urls[:2]:
        assert "Potsdam" in visitor.get(url).content.decode(), url
    # Berlin is no longer in the profile: the search finds no one now.
    assert "Rowan" not in visitor.get(urls[2]).content.decode()


def test_a_specialists_new_hours_show_on_the_next_anonymous_request(
    rowan, visitor, django_capture_on_commit_callbacks
):
    first = booking_services.free_slots(rowan)[0]
    for url, page in kept(visitor, SPECIALIST_PAGES).items():
        assert shows_slot(page, first), url
    specialist = Client()
    specialist.force_login(rowan.user)

    # No hours at all: nothing left to book.
    with django_capture_on_commit_callbacks(execute=True):
        response = specialist.post("/specialists/me/availability/", week())

    assert response.status_code == 302
    for url in SPECIALIST_PAGES:
        assert not shows_slot(visitor.get(url).content.decode(), first), url


def test_an_admins_approval_shows_on_the_next_anonymous_request(
    admin_client, visitor, db, django_capture_on_commit_callbacks
):
    pending = make_bookable_specialist(
        slug="rowan", display_name="Rowan Pending", status=Specialist.Status.PENDING
    )
    urls = ["/", "/specialists/", "/consultations/free/"]
    for url, page in kept(visitor, urls).items():
        assert "Rowan Pending" not in page, url
    assert visitor.get("/specialists/rowan/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/specialists/specialist/",
            {"action": "approve", "_selected_action": [pending.pk]},
        )

    for url in urls:
        assert "Rowan Pending" in visitor.get(url).content.decode(), url
    assert visitor.get("/specialists/rowan/").status_code == 200


def test_an_admins_hiding_of_a_question_shows_on_the_next_anonymous_request(
    admin_client, visitor, db, django_capture_on_commit_callbacks
):
    # The admin action is a QuerySet.update(): no model signal is sent.
    question = make_question(title="A question to hide")
    url = f"/questions/{question.pk}/"
    pages = kept(visitor, ["/questions/", url])
    assert "A question to hide" in pages["/questions/"]

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/questions/question/",
            {"action": "hide", "_selected_action": [question.pk]},
        )

    assert Question.objects.get().is_hidden
    assert "A question to hide" not in visitor.get("/questions/").content.decode()
    assert visitor.get(url).status_code == 404
