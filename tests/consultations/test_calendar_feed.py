"""The specialist's calendar subscription: a private address, shown once,
serving their confirmed consultations as an iCalendar feed."""

import logging
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from consultations import emails, services
from consultations.models import Booking, CalendarFeed
from tests.factories import (
    make_bookable_specialist,
    make_booking,
    make_verified_user,
)
from tests.html import parse_html

FEED_PREFIX = "http://testserver/consultations/calendar-feed/"


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


def make_address(client):
    """Makes (or remakes) the address through the page; returns its path."""
    response = client.post("/specialists/me/calendar/new/")
    assert response.status_code == 200
    field = parse_html(response.content).find("input", id="feed-address")
    address = field.attrs["value"]
    assert address.startswith(FEED_PREFIX) and address.endswith(".ics")
    return address.removeprefix("http://testserver")


def events_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_specialist_makes_an_address_whose_feed_parses_with_their_bookings(
    specialist_client,
):
    booking = make_booking(specialist_client.specialist)

    path = make_address(specialist_client)
    response = specialist_client.get(path)

    [event] = events_of(response)
    assert event["summary"] == "Free consultation"
    assert event.decoded("dtstart") == booking.start
    assert event.decoded("dtend") == booking.start + timedelta(minutes=30)
    assert event["location"] == booking.specialist.video_link
    description = str(event["description"])
    assert description.startswith("By video, with your link: https://meet.example")
    assert "http://testserver/specialists/me/consultations/" in description
    assert str(event["status"]) == "CONFIRMED"


def test_feed_needs_no_login(specialist_client, client):
    make_booking(specialist_client.specialist)
    path = make_address(specialist_client)
    specialist_client.logout()

    assert len(events_of(client.get(path))) == 1


def test_page_offers_a_webcal_link_and_shows_the_address_only_once(
    specialist_client,
):
    response = specialist_client.post("/specialists/me/calendar/new/")
    page = parse_html(response.content)
    address = page.find("input", id="feed-address").attrs["value"]
    subscribe = page.find("a", href=address.replace("http://", "webcal://", 1))

    assert subscribe.text == "Subscribe on this device"
    assert response["Cache-Control"] == "private, no-store"
    later = specialist_client.get("/specialists/me/calendar/")
    assert "Your subscription is on" in later.content.decode()
    assert address.rsplit("/", 1)[1].removesuffix(".ics") not in later.content.decode()
    assert parse_html(later.content).find_all("input", id="feed-address") == []


def test_only_a_hash_of_the_token_is_stored(specialist_client):
    path = make_address(specialist_client)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")

    feed = CalendarFeed.objects.get(specialist=specialist_client.specialist)
    assert feed.token_hash == Booking.hash_token(token)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            for row in cursor.fetchall():
                assert not any(token in str(value) for value in row), table


def test_a_cancelled_booking_disappears_from_the_feed(specialist_client):
    kept = make_booking(specialist_client.specialist)
    cancelled = make_booking(specialist_client.specialist)
    path = make_address(specialist_client)
    assert len(events_of(specialist_client.get(path))) == 2

    services.cancel(booking=cancelled, by="visitor")

    [event] = events_of(specialist_client.get(path))
    assert str(event["uid"]).startswith(str(kept.uid))


def test_feed_keeps_the_last_30_days_and_nothing_older(specialist_client):
    specialist = specialist_client.specialist
    now = timezone.now().replace(second=0, microsecond=0)
    recent = make_booking(
        specialist, start=now - timedelta(days=29), status=Booking.Status.COMPLETED
    )
    make_booking(specialist, start=now - timedelta(days=31))
    path = make_address(specialist_client)

    [event] = events_of(specialist_client.get(path))
    assert event.decoded("dtstart") == recent.start


def test_old_token_gives_404_after_regeneration(specialist_client):
    make_booking(specialist_client.specialist)
    old = make_address(specialist_client)

    new = make_address(specialist_client)

    assert old != new
    gone = specialist_client.get(old)
    assert gone.status_code == 404
    assert len(events_of(specialist_client.get(new))) == 1


def test_turning_off_stops_the_address(specialist_client):
    path = make_address(specialist_client)

    response = specialist_client.post("/specialists/me/calendar/off/", follow=True)

    assert "its address no longer works" in response.content.decode()
    assert not CalendarFeed.objects.exists()
    assert specialist_client.get(path).status_code == 404


def test_unknown_replaced_and_malformed_addresses_read_the_same(specialist_client):
    old = make_address(specialist_client)
    make_address(specialist_client)
    unknown = "/consultations/calendar-feed/" + "A" * 43 + ".ics"
    malformed = "/consultations/calendar-feed/not-a-token.ics"

    answers = [specialist_client.get(path) for path in (old, unknown, malformed)]

    assert {r.status_code for r in answers} == {404}
    assert len({r.content for r in answers}) == 1
    assert {r["Content-Type"] for r in answers} == {"text/plain; charset=utf-8"}


def test_feed_headers_keep_it_private_and_unindexed(specialist_client):
    response = specialist_client.get(make_address(specialist_client))

    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


def test_titles_name_nobody_until_the_specialist_turns_names_on(specialist_client):
    make_booking(specialist_client.specialist, name="Sam\r\nVisitor")
    path = make_address(specialist_client)
    assert CalendarFeed.objects.get().show_visitor_names is False
    [event] = events_of(specialist_client.get(path))
    assert event["summary"] == "Free consultation"
    assert b"Sam" not in specialist_client.get(path).content

    specialist_client.post(
        "/specialists/me/calendar/names/", {"show_visitor_names": "on"}
    )

    [event] = events_of(specialist_client.get(path))
    assert event["summary"] == "Sam Visitor"


def test_feed_carries_no_email_note_or_contact_wishes(specialist_client):
    booking = make_booking(specialist_client.specialist)
    path = make_address(specialist_client)
    specialist_client.post(
        "/specialists/me/calendar/names/", {"show_visitor_names": "on"}
    )

    content = specialist_client.get(path).content.decode()

    assert booking.email not in content
    assert "Harassment" not in content  # the note
    assert "Evenings" not in content  # the contact wishes
    assert "ATTENDEE" not in content


def test_event_keeps_the_uid_and_sequence_of_the_booking_email(
    specialist_client, mailoutbox, django_capture_on_commit_callbacks
):
    booking = make_booking(specialist_client.specialist)
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_booking_confirmed(booking, "https://example.org/manage/x/")
    from_email = Calendar.from_ical(mailoutbox[0].attachments[0][1])
    [emailed] = from_email.walk("VEVENT")

    [event] = events_of(specialist_client.get(make_address(specialist_client)))

    assert event["uid"] == emailed["uid"]
    assert event["sequence"] == emailed["sequence"]


def test_another_specialists_address_never_shows_your_bookings(
    specialist_client, client
):
    mine = make_booking(specialist_client.specialist)
    other_user = make_verified_user()
    other = make_bookable_specialist(user=other_user)
    theirs = make_booking(other)
    client.force_login(other_user)

    [event] = events_of(client.get(make_address(client)))

    assert str(event["uid"]).startswith(str(theirs.uid))
    assert str(mine.uid) not in client.get(make_address(client)).content.decode()


@pytest.mark.parametrize("count", [1, 200])
def test_feed_query_count_stays_flat(
    specialist_client, django_assert_max_num_queries, count
):
    specialist = specialist_client.specialist
    base = timezone.now().replace(minute=0, second=0, microsecond=0)
    for n in range(count):
        make_booking(specialist, start=base + timedelta(days=1, minutes=30 * n))
    path = make_address(specialist_client)

    # The rate limit in the database cache (6), the feed, the upcoming and
    # the past bookings, the last-fetched note, and the browser's session
    # (its time limits): the same at 1 and at 200.
    with django_assert_max_num_queries(11):
        response = specialist_client.get(path)

    assert len(events_of(response)) == count


def test_feed_is_capped(specialist_client, monkeypatch):
    from consultations import calendar_views

    monkeypatch.setattr(calendar_views, "MAX_EVENTS", 3)
    specialist = specialist_client.specialist
    now = timezone.now().replace(microsecond=0)
    for days in (1, 2, 3, 4):
        make_booking(specialist, start=now + timedelta(days=days))
    make_booking(
        specialist, start=now - timedelta(days=1), status=Booking.Status.COMPLETED
    )

    events = events_of(specialist_client.get(make_address(specialist_client)))

    # The nearest upcoming ones win over the rest and the past.
    assert sorted(e.decoded("dtstart") for e in events) == [
        b.start for b in specialist.bookings.filter(start__gt=now)[:3]
    ]


def test_too_many_fetches_of_one_address_get_429(specialist_client):
    path = make_address(specialist_client)
    for _ in range(20):
        assert specialist_client.get(path).status_code == 200

    refused = specialist_client.get(path)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_settings_page_needs_a_specialist_profile(client, db):
    assert "please log in" in client.get("/specialists/me/calendar/").content.decode()
    client.force_login(make_verified_user())

    assert client.get("/specialists/me/calendar/").status_code == 404
    assert client.post("/specialists/me/calendar/new/").status_code == 404
    assert not CalendarFeed.objects.exists()


def test_making_an_address_needs_a_post(specialist_client):
    assert specialist_client.get("/specialists/me/calendar/new/").status_code == 405
    assert not CalendarFeed.objects.exists()


def test_fetch_is_noted_on_the_page(specialist_client):
    path = make_address(specialist_client)
    before = specialist_client.get("/specialists/me/calendar/").content.decode()
    specialist_client.get(path)

    after = specialist_client.get("/specialists/me/calendar/").content.decode()

    assert "No calendar app has fetched it yet." in before
    assert "Last fetched by a calendar app" in after


def test_no_feed_token_in_the_logs_of_a_404(specialist_client, caplog):
    old = make_address(specialist_client)
    make_address(specialist_client)
    token = old.rsplit("/", 1)[1].removesuffix(".ics")
    caplog.set_level(logging.DEBUG)

    assert specialist_client.get(old).status_code == 404

    messages = [record.getMessage() for record in caplog.records]
    assert "Not Found: /consultations/calendar-feed/[redacted]" in messages
    assert not any(token in message for message in messages)


def test_dashboard_links_to_the_calendar_page(specialist_client):
    response = specialist_client.get("/specialists/me/")

    link = parse_html(response.content).find("a", href="/specialists/me/calendar/")
    assert link.text == "In your own calendar"
