"""The booking emails' text, whole: their templates' line breaks and optional
paragraphs are easy to get subtly wrong."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from consultations import emails
from consultations.models import Booking
from specialists.models import Specialist
from tests.factories import make_user

pytestmark = pytest.mark.django_db

MANAGE_URL = "https://example.org/consultations/manage/secret-token/"


@pytest.fixture
def booking():
    specialist = Specialist.objects.create(
        user=make_user(email="jane@example.com"),
        slug="jane-doe",
        display_name="Jane Doe",
        headline="Counsellor",
        time_zone="Europe/Berlin",
        video_link="https://meet.example.org/jane?room=1&pin=2",
    )
    return Booking.objects.create(
        specialist=specialist,
        start=datetime(2026, 3, 24, 13, 0, tzinfo=UTC),
        name="Sam & <Alex>",
        email="sam@example.org",
        preferred_format="video",
        no_voicemail=True,
        contact_preferences="Evenings",
        note="First line\n\nSecond line",
        visitor_time_zone="Asia/Kolkata",
        consented_at=timezone.now(),
        manage_token_hash="x" * 64,
        form_token="form-1",
    )


def sent_bodies(
    mailoutbox, django_capture_on_commit_callbacks, function, *args, **kwargs
):
    with django_capture_on_commit_callbacks(execute=True):
        function(*args, **kwargs)
    return {m.to[0].rsplit("<", 1)[-1].rstrip(">"): m.body for m in mailoutbox}


def test_confirmation_texts_in_full(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    bodies = sent_bodies(
        mailoutbox,
        django_capture_on_commit_callbacks,
        emails.send_booking_confirmed,
        booking,
        MANAGE_URL,
        site_url="https://example.org",
    )

    assert bodies["sam@example.org"] == (
        "Hello Sam & <Alex>,\n\n"
        "Your free 30-minute first consultation is booked.\n\n"
        "When: Tuesday 24 March 2026, 18:30–19:00 (Asia/Kolkata, UTC+05:30)\n"
        "With: Jane Doe\n"
        "Format: Video\n"
        "By video: join with this link at the booked time: "
        "https://meet.example.org/jane?room=1&pin=2\n\n"
        "What happens next: nothing until the booked time. There is nothing to "
        "prepare and nothing to pay. The first conversation does not oblige you "
        "to anything.\n\n"
        "If your plans change, you can cancel or choose another time at any "
        "moment, without giving a reason.\n"
        "To see your appointment, add it to your calendar (.ics), cancel it or "
        "pick another time, open your private link:\n"
        f"{MANAGE_URL}\n\n"
        "Anyone with this link can change your appointment: please don't forward "
        "this email.\n\n"
        "The attached file appointment.ics adds the appointment to your calendar."
        "\n\n"
        "Kind regards\n"
    )
    assert bodies["jane@example.com"] == (
        "Hello Jane Doe,\n\n"
        "A visitor booked a free 30-minute first consultation with you.\n\n"
        "Their contact wishes:\n"
        "- Please do not leave a voicemail\n\n"
        "When: Tuesday 24 March 2026, 14:00–14:30 (Europe/Berlin, UTC+01:00)\n"
        "Name: Sam & <Alex>\n"
        "Preferred format: Video\n"
        "By video, with your link: https://meet.example.org/jane?room=1&pin=2\n"
        "Their time zone: Asia/Kolkata\n\n"
        "Their email address and anything they wrote to you are on your "
        "consultations page, after you log in: for their privacy, we do not put "
        "them in emails.\n"
        f"https://example.org/specialists/me/consultations/#booking-{booking.pk}\n\n"
        "The attached file appointment.ics adds the appointment to your calendar."
        "\n"
    )


def test_reminder_without_a_link_has_no_link_paragraph(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    bodies = sent_bodies(
        mailoutbox,
        django_capture_on_commit_callbacks,
        emails.send_booking_reminder,
        booking,
        None,
    )

    assert bodies["sam@example.org"] == (
        "Hello Sam & <Alex>,\n\n"
        "A reminder of your free first consultation.\n\n"
        "When: Tuesday 24 March 2026, 18:30–19:00 (Asia/Kolkata, UTC+05:30)\n"
        "With: Jane Doe\n"
        "Format: Video\n"
        "By video: join with this link at the booked time: "
        "https://meet.example.org/jane?room=1&pin=2\n\n"
        "The attached file appointment.ics adds the appointment to your calendar."
        "\n\n"
        "Kind regards\n"
    )
