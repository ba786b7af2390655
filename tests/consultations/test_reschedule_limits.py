"""Moving a consultation is limited: each move emails both sides."""

from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from consultations import services
from consultations.models import Booking
from outbox.models import OutboxMessage
from tests.factories import make_bookable_specialist
from tests.html import parse_html


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    cache.clear()


def book(specialist, start, n=1):
    booking, token = services.book_consultation(
        specialist=specialist,
        start=start,
        form_token=f"t{n}",
        manage_url=lambda token: f"http://testserver/consultations/manage/{token}/",
        name="Sam",
        email=f"sam{n}@example.org",
        preferred_format="video",
        visitor_time_zone="Asia/Kolkata",
    )
    return booking, token


@pytest.fixture
def booked(db):
    specialist = make_bookable_specialist(slug="rowan")
    free = services.free_slots(specialist)
    booking, token = book(specialist, free[0])
    return booking, token, free


def move(client, token, slot, **extra):
    return client.post(
        f"/consultations/manage/{token}/reschedule/",
        {"slot": slot.isoformat(), "tz": "Asia/Kolkata"},
        **extra,
    )


def test_a_fourth_move_in_a_day_is_refused_with_429_and_retry_after(client, booked):
    booking, token, free = booked
    for slot in free[1:4]:
        assert move(client, token, slot).status_code == 302
    emails = OutboxMessage.objects.count()

    response = move(client, token, free[5])

    assert response.status_code == 429
    assert 86000 < int(response["Retry-After"]) <= 86400
    page = parse_html(response.content)
    assert "moved several times today" in page.find("div", class_="messages").text
    # The same picker, in the visitor's zone, with the time they chose.
    chosen = free[5].astimezone(ZoneInfo("Asia/Kolkata")).isoformat()
    assert page.find("button", name="slot", value=chosen)
    assert page.find("input", name="tz").attrs["value"] == "Asia/Kolkata"
    booking.refresh_from_db()
    assert booking.start == free[3]
    assert OutboxMessage.objects.count() == emails


def test_moves_are_allowed_again_a_day_later(client, booked, clock):
    booking, token, free = booked
    for slot in free[-4:-1]:  # far ahead: still upcoming a day later
        move(client, token, slot)
    assert move(client, token, free[-6]).status_code == 429
    clock.advance(hours=24, minutes=1)

    response = move(client, token, free[-6])

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start == free[-6]


def test_a_time_just_taken_does_not_count_as_a_move(client, booked):
    booking, token, free = booked
    book(booking.specialist, free[1], n=2)
    for _ in range(3):
        assert move(client, token, free[1]).status_code == 409

    assert move(client, token, free[2]).status_code == 302


def test_after_ten_moves_the_booking_stays_put(client, booked):
    booking, token, free = booked
    Booking.objects.filter(pk=booking.pk).update(sequence=services.MAX_RESCHEDULES)
    emails = OutboxMessage.objects.count()

    response = move(client, token, free[2])

    assert response.status_code == 409
    assert "cannot be moved again" in response.content.decode()
    booking.refresh_from_db()
    assert booking.start == free[0]
    assert OutboxMessage.objects.count() == emails


def test_one_address_moving_many_bookings_is_limited(client, booked):
    booking, token, free = booked
    for _ in range(services.RESCHEDULES_PER_IP.limit):
        services.RESCHEDULES_PER_IP.hit("203.0.113.9")

    response = move(client, token, free[2], REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 429
    assert 3500 < int(response["Retry-After"]) <= 3600
    booking.refresh_from_db()
    assert booking.start == free[0]
    assert move(client, token, free[2]).status_code == 302  # another address
