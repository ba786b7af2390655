"""The emails of a booking's life and their calendar files.

Subjects and calendar titles stay neutral (mailbox previews and calendars are
seen by others); times are in each recipient's own zone; a name cannot add a
header; nothing leaves before the booking's transaction commits.
"""

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from icalendar import Calendar

from consultations import emails
from consultations.ics import calendar_for
from consultations.models import Booking
from outbox.models import OutboxMessage
from specialists.models import Specialist
from tests.factories import make_booking, make_user

pytestmark = pytest.mark.django_db

# Tuesday 24 March 2026: 14:00 in Berlin (UTC+1), 18:30 in Kolkata (UTC+5:30).
START = datetime(2026, 3, 24, 13, 0, tzinfo=UTC)
MANAGE_URL = "https://example.org/consultations/manage/secret-token/"
TOPIC_WORDS = ["harass", "abuse", "bully", "stalk", "mobbing", "therap", "trauma"]


@pytest.fixture
def specialist():
    return Specialist.objects.create(
        user=make_user(email="jane@example.com"),
        slug="jane-doe",
        display_name="Jane Doe",
        headline="Counsellor",
        time_zone="Europe/Berlin",
    )


@pytest.fixture
def booking(specialist):
    return make_booking(specialist, start=START)


@pytest.fixture
def sent(mailoutbox, django_capture_on_commit_callbacks):
    """Runs the call, commits, and returns the emails it sent, by recipient."""

    def send(function, *args, **kwargs):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            function(*args, **kwargs)
        return {
            message.to[0].rsplit("<", 1)[-1].rstrip(">"): message
            for message in mailoutbox
        }

    return send


def calendar_of(message):
    [(filename, content, mimetype)] = message.attachments
    assert filename == "appointment.ics"
    calendar = Calendar.from_ical(content)
    [event] = calendar.walk("VEVENT")
    return calendar, event, mimetype


def assert_neutral(text):
    lowered = text.lower()
    for word in TOPIC_WORDS:
        assert word not in lowered, word


def test_confirmation_tells_the_visitor_the_time_in_their_own_zone(booking, sent):
    message = sent(emails.send_booking_confirmed, booking, MANAGE_URL)[
        "sam@example.org"
    ]

    assert (
        message.subject
        == "Your appointment on Tuesday 24 March at 18:30 (Asia/Kolkata)"
    )
    assert message.to == ["Sam Visitor <sam@example.org>"]
    assert message.from_email == "Appointments <noreply@localhost>"
    assert (
        "Tuesday 24 March 2026, 18:30–19:00 (Asia/Kolkata, UTC+05:30)" in message.body
    )
    assert "Jane Doe" in message.body
    assert MANAGE_URL in message.body
    assert "Harassment" not in message.body  # the note is for the specialist only


def test_confirmation_gives_the_specialist_what_to_prepare_and_a_link(booking, sent):
    message = sent(
        emails.send_booking_confirmed,
        booking,
        MANAGE_URL,
        site_url="https://example.org",
    )["jane@example.com"]

    assert (
        message.subject
        == "New appointment on Tuesday 24 March at 14:00 (Europe/Berlin)"
    )
    assert message.to == ["Jane Doe <jane@example.com>"]
    for detail in [
        "Tuesday 24 March 2026, 14:00–14:30 (Europe/Berlin, UTC+01:00)",
        "Name: Sam Visitor",
        "Preferred format: Video",
        "Asia/Kolkata",
        f"https://example.org/specialists/me/consultations/#booking-{booking.pk}",
    ]:
        assert detail in message.body
    assert MANAGE_URL not in message.body  # the visitor's private link
    # What the visitor wrote, and their address, wait on the page behind a login.
    for private in ["sam@example.org", "Harassment", "Evenings, by email"]:
        assert private not in message.body


def test_confirmation_calendar_file_is_one_neutral_30_minute_event(booking, sent):
    messages = sent(emails.send_booking_confirmed, booking, MANAGE_URL)

    for message in messages.values():
        calendar, event, mimetype = calendar_of(message)
        assert mimetype == "text/calendar; method=REQUEST"
        assert calendar["METHOD"] == "REQUEST"
        assert calendar["VERSION"] == "2.0"
        assert calendar["PRODID"]
        assert event["UID"] == f"{booking.uid}@127.0.0.1"
        assert event["SEQUENCE"] == 0
        assert event.decoded("DTSTART") == START
        assert event.decoded("DTSTART").utcoffset() == timedelta(0)
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(
            minutes=30
        )
        assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)
        assert event["SUMMARY"] == "Appointment"
        assert event["STATUS"] == "CONFIRMED"
        assert event["ORGANIZER"] == "mailto:noreply@localhost"
        assert event["ATTENDEE"] == "mailto:sam@example.org"
        assert event["ATTENDEE"].params["CN"] == "Sam Visitor"
        # How to meet, and nothing else: not the note, not the contact wishes.
        assert event["DESCRIPTION"] == booking.meeting_details().for_visitor
        assert b"manager" not in message.attachments[0][1].encode()


def test_calendar_attachment_is_sent_as_a_calendar_invitation(booking, sent):
    message = sent(emails.send_booking_confirmed, booking, MANAGE_URL)[
        "sam@example.org"
    ]

    [part] = [p for p in message.message().walk() if p.get_filename()]
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"


def test_rescheduling_updates_the_same_event_for_both_sides(booking, sent):
    old_start = booking.start
    booking.start = START + timedelta(days=1, hours=2)
    booking.sequence += 1
    booking.save()

    messages = sent(emails.send_booking_rescheduled, booking, MANAGE_URL, old_start)

    assert set(messages) == {"sam@example.org", "jane@example.com"}
    visitor = messages["sam@example.org"]
    assert visitor.subject == (
        "New time for your appointment: Wednesday 25 March at 20:30 (Asia/Kolkata)"
    )
    assert "Before: Tuesday 24 March 2026, 18:30–19:00" in visitor.body
    assert MANAGE_URL in visitor.body
    specialist = messages["jane@example.com"]
    assert specialist.subject == (
        "Appointment moved to Wednesday 25 March at 16:00 (Europe/Berlin)"
    )
    for message in messages.values():
        calendar, event, _mimetype = calendar_of(message)
        assert calendar["METHOD"] == "REQUEST"
        assert event["UID"] == f"{booking.uid}@127.0.0.1"
        assert event["SEQUENCE"] == 1
        assert event.decoded("DTSTART") == booking.start


def test_visitor_cancelling_tells_the_specialist_and_cancels_the_event(booking, sent):
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_by = "visitor"
    booking.sequence += 1
    booking.save()

    messages = sent(emails.send_booking_cancelled, booking, by="visitor")

    assert set(messages) == {"jane@example.com", "sam@example.org"}
    message = messages["jane@example.com"]
    assert (
        message.subject
        == "Appointment on Tuesday 24 March at 14:00 (Europe/Berlin) cancelled"
    )
    assert "Sam Visitor" in message.body
    calendar, event, mimetype = calendar_of(message)
    assert mimetype == "text/calendar; method=CANCEL"
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == f"{booking.uid}@127.0.0.1"
    assert event["SEQUENCE"] == 1


def test_specialist_cancelling_tells_the_visitor_why(booking, sent):
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_by = "specialist"
    booking.cancel_reason = "I am ill that day."
    booking.sequence += 1
    booking.save()

    messages = sent(emails.send_booking_cancelled, booking, by="specialist")

    assert set(messages) == {"sam@example.org"}
    message = messages["sam@example.org"]
    assert (
        message.subject
        == "Your appointment on Tuesday 24 March at 18:30 (Asia/Kolkata) is cancelled"
    )
    assert "I am ill that day." in message.body
    calendar, event, _mimetype = calendar_of(message)
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_reminder_goes_to_both_sides(booking, sent):
    messages = sent(emails.send_booking_reminder, booking, MANAGE_URL)

    assert messages["sam@example.org"].subject == (
        "Reminder: your appointment on Tuesday 24 March at 18:30 (Asia/Kolkata)"
    )
    assert MANAGE_URL in messages["sam@example.org"].body
    assert messages["jane@example.com"].subject == (
        "Reminder: appointment on Tuesday 24 March at 14:00 (Europe/Berlin)"
    )


def test_subjects_and_calendars_carry_no_topic_words(specialist, sent):
    booking = make_booking(
        specialist,
        start=START,
        name="Harassment Survivor",
        cancel_reason="Harassment case",
    )
    outgoing = []
    outgoing += sent(emails.send_booking_confirmed, booking, MANAGE_URL).values()
    outgoing += sent(
        emails.send_booking_rescheduled, booking, MANAGE_URL, START
    ).values()
    outgoing += sent(emails.send_booking_reminder, booking, MANAGE_URL).values()
    outgoing += sent(emails.send_booking_cancelled, booking, by="staff").values()

    assert len(outgoing) == 8
    for message in outgoing:
        assert_neutral(message.subject)
        _calendar, event, _mimetype = calendar_of(message)
        assert_neutral(str(event["SUMMARY"]))
    ics = calendar_for(
        booking,
        organizer_email="noreply@localhost",
        attendee_email=booking.email,
    ).decode()
    assert "manager at work" not in ics


def test_a_name_with_a_line_break_cannot_add_a_header(specialist, sent):
    booking = make_booking(specialist, start=START, name="Eve\r\nBcc: x@evil.example")

    messages = sent(emails.send_booking_confirmed, booking, MANAGE_URL)

    message = messages["sam@example.org"]
    assert message.recipients() == ['"Eve Bcc: x@evil.example" <sam@example.org>']
    headers, _body = message.message().as_bytes().split(b"\n\n", 1)
    assert not [line for line in headers.splitlines() if line.startswith(b"Bcc")]
    assert message.message()["Bcc"] is None
    assert "Hello Eve Bcc: x@evil.example," in message.body
    _calendar, event, _mimetype = calendar_of(message)
    assert event["ATTENDEE"].params["CN"] == "Eve Bcc: x@evil.example"
    assert "\r\nBcc" not in message.attachments[0][1]


def test_nothing_is_sent_when_the_booking_rolls_back(specialist, sent):
    def book_then_fail():
        with contextlib.suppress(RuntimeError), transaction.atomic():
            booking = make_booking(specialist, start=START)
            emails.send_booking_confirmed(booking, MANAGE_URL)
            raise RuntimeError("slot taken")

    assert sent(book_then_fail) == {}
    assert not Booking.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_failed_send_keeps_the_booking_and_queues_the_emails(
    specialist, settings, sent
):
    settings.EMAIL_BACKEND = "tests.consultations.test_emails.BrokenBackend"

    def book():
        with transaction.atomic():
            booking = make_booking(specialist, start=START)
            emails.send_booking_confirmed(booking, MANAGE_URL)

    assert sent(book) == {}
    assert Booking.objects.count() == 1
    queued = OutboxMessage.objects.unsent()
    assert queued.count() == 2
    assert all(m.attempts == 1 and "mail server down" in m.last_error for m in queued)


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_visitor_cancelling_gets_a_confirmation_that_removes_the_event(booking, sent):
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_by = "visitor"
    booking.cancel_reason = "Something came up."
    booking.sequence += 1
    booking.save()

    message = sent(emails.send_booking_cancelled, booking, by="visitor")[
        "sam@example.org"
    ]

    assert "As you asked, your free first consultation" in message.body
    assert "had to be cancelled" not in message.body
    # Their own reason is not read back to them as if it were the specialist's.
    assert "Something came up." not in message.body
    calendar, event, mimetype = calendar_of(message)
    assert mimetype == "text/calendar; method=CANCEL"
    assert calendar["METHOD"] == "CANCEL"
    assert event["UID"] == f"{booking.uid}@127.0.0.1"
    assert event["SEQUENCE"] == 1
