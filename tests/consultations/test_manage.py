"""The visitor's private link: view, calendar file, cancel, another time."""

from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from icalendar import Calendar

from consultations import services
from consultations.models import Booking
from tests.factories import make_bookable_specialist
from tests.html import parse_html


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    cache.clear()


@pytest.fixture
def booked(db):
    specialist = make_bookable_specialist(slug="rowan", display_name="Rowan Example")
    free = services.free_slots(specialist)
    booking, token = services.book_consultation(
        specialist=specialist,
        start=free[0],
        form_token="t1",
        manage_url=lambda token: f"http://testserver/consultations/manage/{token}/",
        name="Sam",
        email="sam@example.org",
        preferred_format="video",
        visitor_time_zone="Asia/Kolkata",
    )
    return booking, token, free


def test_manage_page_shows_the_booking_in_the_visitors_zone_without_referrer(
    client, booked
):
    booking, token, _ = booked

    response = client.get(f"/consultations/manage/{token}/")

    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    local = booking.start.astimezone(ZoneInfo("Asia/Kolkata"))
    assert local.strftime("%H:%M") in response.content.decode()
    assert "Asia/Kolkata" in response.content.decode()


def test_wrong_token_is_404(client, booked):
    assert client.get("/consultations/manage/not-the-token/").status_code == 404


def test_calendar_file_has_the_booking_in_utc(client, booked):
    booking, token, _ = booked

    response = client.get(f"/consultations/manage/{token}/appointment.ics")

    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == booking.start
    assert str(event["UID"]).startswith(str(booking.uid))


def test_visitor_cancels_which_frees_the_slot_and_the_link_then_says_so(client, booked):
    booking, token, free = booked

    response = client.post(
        f"/consultations/manage/{token}/cancel/", {"reason": ""}, follow=True
    )

    assert response.redirect_chain == [(f"/consultations/manage/{token}/", 302)]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.cancelled_by == "visitor"
    assert free[0] in services.free_slots(booking.specialist)
    page = parse_html(response.content)
    assert page.find("h1").text == "This consultation was cancelled"
    assert "we sent you a confirmation" in page.find("div", class_="messages").text


def test_visitor_picks_another_time_and_the_old_link_leads_to_it(client, booked):
    booking, token, free = booked
    uid, sequence = booking.uid, booking.sequence

    response = client.post(
        f"/consultations/manage/{token}/reschedule/", {"slot": free[3].isoformat()}
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start == free[3]
    assert booking.uid == uid
    assert booking.sequence == sequence + 1
    assert Booking.objects.count() == 1
    assert client.get(f"/consultations/manage/{token}/").status_code == 200
    assert free[0] in services.free_slots(booking.specialist)


def test_rescheduling_to_a_taken_time_says_so(client, booked):
    booking, token, free = booked
    services.book_consultation(
        specialist=booking.specialist,
        start=free[1],
        form_token="t2",
        manage_url=lambda token: "http://testserver/x/",
        name="Alex",
        email="alex@example.org",
        preferred_format="video",
    )

    response = client.post(
        f"/consultations/manage/{token}/reschedule/", {"slot": free[1].isoformat()}
    )

    assert response.status_code == 409
    assert "this time was just taken" in response.content.decode()
    booking.refresh_from_db()
    assert booking.start == free[0]


@pytest.mark.parametrize("slot", ["", "not-a-time", "2027-01-04T10:00:00"])
def test_rescheduling_to_a_time_the_picker_never_offered_is_refused(
    client, booked, slot
):
    booking, token, free = booked

    response = client.post(f"/consultations/manage/{token}/reschedule/", {"slot": slot})

    assert response.status_code == 409
    assert "Please choose another one" in response.content.decode()
    booking.refresh_from_db()
    assert (booking.start, booking.sequence) == (free[0], 0)


def closed_page(client, token):
    """The old link's page, with what it must not show: no name, time or
    specialist."""
    response = client.get(f"/consultations/manage/{token}/")
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    content = response.content.decode()
    for private in ("Sam", "Rowan Example", "sam@example.org", "Asia/Kolkata"):
        assert private not in content
    page = parse_html(response.content)
    links = page.find_all("a", href="/consultations/free/")
    assert "Book a free consultation" in [link.text for link in links]
    return page.find("h1").text


def test_a_cancelled_consultations_link_says_so_and_nothing_more(client, booked):
    booking, token, _ = booked
    services.cancel(booking=booking, by="specialist", reason="Ill")

    assert closed_page(client, token) == "This consultation was cancelled"


def test_a_past_consultations_link_says_it_has_taken_place(client, booked):
    booking, token, _ = booked
    Booking.objects.filter(pk=booking.pk).update(start=booking.start.replace(year=2020))

    assert closed_page(client, token) == "This consultation has taken place"


@pytest.mark.parametrize("action", ["cancel/", "reschedule/", "appointment.ics"])
def test_a_cancelled_consultation_can_no_longer_be_changed(client, booked, action):
    booking, token, _ = booked
    services.cancel(booking=booking, by="visitor")

    response = client.post(f"/consultations/manage/{token}/{action}", {"slot": ""})

    assert response.status_code == 302
    assert response["Location"] == f"/consultations/manage/{token}/"
    booking.refresh_from_db()
    assert booking.sequence == 1


def test_an_unknown_link_stays_404(client, booked):
    assert client.get("/consultations/manage/never-issued/").status_code == 404


def test_only_the_hash_of_the_token_is_stored(booked):
    booking, token, _ = booked

    assert token not in str(Booking.objects.filter(pk=booking.pk).values().get())
    assert booking.manage_token_hash == Booking.hash_token(token)
    assert len(token) >= 43  # 32 random bytes
