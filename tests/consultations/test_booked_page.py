"""The page after booking answers "what now": when, how, what if plans
change, the calendar file and the private link."""

from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from icalendar import Calendar

from consultations.models import Booking
from tests.html import parse_html

from .test_booking import booking_data, first_free_slot, specialist  # noqa: F401


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def booked_client(specialist):  # noqa: F811
    client = Client()
    slot = first_free_slot(specialist)
    response = client.post("/specialists/rowan/book/", booking_data(slot))
    assert response["Location"] == "/consultations/booked/"
    return client, Booking.objects.get()


def test_booked_page_says_when_how_and_what_to_do_if_plans_change(booked_client):
    client, booking = booked_client

    response = client.get("/consultations/booked/")

    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    page = parse_html(response.content)
    facts = [
        dd.text.strip() for dd in page.find("dl", class_="booking-facts").find_all("dd")
    ]
    local = booking.start.astimezone(ZoneInfo("America/New_York"))
    offset = "UTC-4" if local.dst() else "UTC-5"
    assert facts == [
        f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}, New York time, {offset}",
        "Video",
    ]
    link = page.find("p", class_="private-link").find("a")
    token = link.attrs["href"].rsplit("/", 2)[-2]
    assert link.attrs["href"] == f"http://testserver/consultations/manage/{token}/"
    assert Booking.objects.get(manage_token_hash=Booking.hash_token(token)) == booking
    ics_link = page.find("a", href="/consultations/booked/appointment.ics")
    assert ics_link.text == "Add to calendar (.ics)"


def test_the_private_token_is_kept_only_as_a_hash_and_in_this_browsers_session(
    booked_client,
):
    client, booking = booked_client
    token = client.session["booked_token"]

    assert booking.manage_token_hash == Booking.hash_token(token)
    assert token not in booking.manage_token_hash
    # Another browser sees nothing.
    assert Client().get("/consultations/booked/").status_code == 404


def test_the_calendar_file_comes_from_the_booked_page_without_the_token_in_its_url(
    booked_client,
):
    client, booking = booked_client

    response = client.get("/consultations/booked/appointment.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]).startswith(str(booking.uid))
    assert event.decoded("DTSTART") == booking.start
    assert Client().get("/consultations/booked/appointment.ics").status_code == 404


def test_a_double_click_keeps_the_private_link_on_the_booked_page(specialist):  # noqa: F811
    client = Client()
    data = booking_data(first_free_slot(specialist))
    client.post("/specialists/rowan/book/", data)
    token = client.session["booked_token"]

    client.post("/specialists/rowan/book/", data)

    assert client.session["booked_token"] == token
    assert (
        f"/consultations/manage/{token}/"
        in client.get("/consultations/booked/").content.decode()
    )


def test_a_corrected_address_gets_a_new_private_link_and_the_page_shows_it(
    booked_client,
):
    client, booking = booked_client
    old = client.session["booked_token"]

    client.post("/consultations/booked/", {"email": "sam@example.com"})

    new = client.session["booked_token"]
    assert new != old
    booking.refresh_from_db()
    assert booking.manage_token_hash == Booking.hash_token(new)
    page = client.get("/consultations/booked/").content.decode()
    assert f"/consultations/manage/{new}/" in page
    assert old not in page
    assert client.get(f"/consultations/manage/{old}/").status_code == 404


def test_booked_page_makes_few_queries(booked_client, django_assert_max_num_queries):
    client, _booking = booked_client

    with django_assert_max_num_queries(6):
        assert client.get("/consultations/booked/").status_code == 200
