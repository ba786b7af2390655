from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from consultations import services
from consultations.models import Availability, Booking, WeeklyWindow
from tests.factories import make_bookable_specialist, make_verified_user


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    cache.clear()


@pytest.fixture
def specialist_client(client, db):
    user = make_verified_user()
    specialist = make_bookable_specialist(user=user, slug="rowan")
    client.force_login(user)
    client.specialist = specialist
    return client


def availability_data(windows=(), dates=(), **overrides):
    data = {
        "action": "save",
        "minimum_notice_hours": "12",
        "horizon_days": "30",
        "offers_free_consultation": "on",
    }
    for n, (weekday, start, end) in enumerate(windows):
        data.update({f"hours-{weekday}-{n}-start": start, f"hours-{weekday}-{n}-end": end})  # fmt: skip
    for n, (first, last) in enumerate(dates):
        data.update({f"off-{n}-start": first, f"off-{n}-end": last})
    data.update(overrides)
    return data


def test_specialist_sets_weekly_hours_and_dates_off(specialist_client):
    availability = specialist_client.specialist.availability
    availability.windows.all().delete()

    response = specialist_client.post(
        "/specialists/me/availability/",
        availability_data(
            windows=[(0, "09:00", "12:00"), (0, "14:00", "16:00")],
            dates=[("2030-01-07", "")],
        ),
    )

    assert response.status_code == 302
    assert [(w.weekday, w.start, w.end) for w in availability.windows.all()] == [
        (0, time(9), time(12)),
        (0, time(14), time(16)),
    ]
    assert [(str(d.start), str(d.end)) for d in availability.dates_off.all()] == [
        ("2030-01-07", "2030-01-07")
    ]


def test_a_window_that_ends_before_it_starts_is_a_clear_error(specialist_client):
    response = specialist_client.post(
        "/specialists/me/availability/",
        availability_data(windows=[(1, "12:00", "09:00")]),
    )

    assert response.status_code == 200
    assert "The end must be after the start." in response.content.decode()


def test_switching_free_consultations_off_hides_the_booking_page(
    specialist_client, client
):
    specialist_client.post(
        "/specialists/me/availability/", availability_data(offers_free_consultation="")
    )

    assert client.get("/specialists/rowan/book/").status_code == 404
    specialist_client.specialist.refresh_from_db()
    assert specialist_client.specialist.offers_free_consultation is False


def book(specialist, slot, n=1):
    return services.book_consultation(
        specialist=specialist,
        start=slot,
        form_token=f"t{n}",
        manage_url=lambda token: "http://testserver/x/",
        name=f"Visitor {n}",
        email=f"v{n}@example.org",
        preferred_format="video",
        note="Private note",
    )[0]


def test_dashboard_lists_upcoming_consultations_in_the_specialists_zone(
    specialist_client,
):
    slot = services.free_slots(specialist_client.specialist)[0]
    book(specialist_client.specialist, slot)

    content = specialist_client.get("/specialists/me/consultations/").content.decode()

    local = slot.astimezone(ZoneInfo("Europe/Berlin"))
    assert local.strftime("%H:%M") in content
    assert "Visitor 1" in content
    assert "Private note" in content


def test_specialist_cancels_with_a_reason(specialist_client):
    booking = book(
        specialist_client.specialist,
        services.free_slots(specialist_client.specialist)[0],
    )

    specialist_client.post(
        f"/specialists/me/consultations/{booking.pk}/",
        {"action": "cancel", "reason": "I am ill, sorry."},
    )

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.cancelled_by == "specialist"
    assert booking.cancel_reason == "I am ill, sorry."


def test_specialist_marks_a_past_consultation_completed_or_no_show(specialist_client):
    booking = book(
        specialist_client.specialist,
        services.free_slots(specialist_client.specialist)[0],
    )
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() - timedelta(days=1)
    )

    specialist_client.post(
        f"/specialists/me/consultations/{booking.pk}/", {"action": "no_show"}
    )

    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW


@pytest.mark.parametrize(
    "data,error",
    [
        ({"action": "cancel", "reason": ""}, "Please give the visitor a reason."),
        ({"action": "delete"}, "Unknown action."),
        ({}, "Unknown action."),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(specialist_client, data, error):
    booking = book(
        specialist_client.specialist,
        services.free_slots(specialist_client.specialist)[0],
    )

    response = specialist_client.post(
        f"/specialists/me/consultations/{booking.pk}/", data, follow=True
    )

    assert error in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_a_specialist_cannot_touch_anothers_consultation(specialist_client, db):
    other = make_bookable_specialist(slug="other")
    booking = book(other, services.free_slots(other)[0], n=9)

    response = specialist_client.post(
        f"/specialists/me/consultations/{booking.pk}/",
        {"action": "cancel", "reason": "x"},
    )

    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_availability_needs_a_profile(client, db):
    client.force_login(make_verified_user())

    assert client.get("/specialists/me/availability/").status_code == 404
    assert not Availability.objects.exists()
    assert not WeeklyWindow.objects.exists()


def test_a_specialist_leaving_cancels_upcoming_consultations_and_tells_visitors(
    specialist_client, mailoutbox, django_capture_on_commit_callbacks
):
    specialist = specialist_client.specialist
    book(specialist, services.free_slots(specialist)[0])

    with django_capture_on_commit_callbacks(execute=True):
        specialist_client.post("/account/delete/", {"password": "a-long-test-password"})

    assert not Booking.objects.exists()
    told = [m for m in mailoutbox if any("v1@example.org" in to for to in m.to)]
    assert any("cancel" in m.subject.lower() for m in told)
    assert any("text/calendar" in str(a) for m in told for a in m.attachments)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/specialists/me/availability/"),
        ("get", "/specialists/me/consultations/"),
        ("post", "/specialists/me/consultations/1/"),
        ("get", "/specialists/me/edit/"),
        ("post", "/specialists/me/submit/"),
    ],
)
def test_every_page_of_ones_own_profile_is_404_without_a_profile(
    client, db, method, url
):
    client.force_login(make_verified_user())

    assert getattr(client, method)(url, {"action": "cancel"}).status_code == 404
