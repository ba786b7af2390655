import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from consultations import services
from consultations.models import Booking
from outbox.models import OutboxMessage
from tests.factories import make_bookable_specialist, make_user


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def booking(db):
    specialist = make_bookable_specialist()
    booking, _token = services.book_consultation(
        specialist=specialist,
        start=services.free_slots(specialist)[0],
        form_token="t1",
        manage_url=lambda token: "http://testserver/x/",
        name="Sam",
        email="sam@example.org",
        preferred_format="video",
        note="Something private",
    )
    return booking


def move_to(booking, delta):
    # As if booked two days before that time.
    start = timezone.now() + delta
    Booking.objects.filter(pk=booking.pk).update(
        start=start, created_at=start - timedelta(days=2)
    )
    booking.refresh_from_db()


def reminder_subjects(mailoutbox):
    return [m.subject for m in mailoutbox if m.subject.startswith("Reminder")]


def test_reminder_goes_out_once_24_hours_before(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    move_to(booking, timedelta(hours=23))

    with django_capture_on_commit_callbacks(execute=True):
        run("send_reminders")
        run("send_reminders")

    assert len(reminder_subjects(mailoutbox)) == 2  # the visitor and the specialist
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None
    assert all("harass" not in s.lower() for s in reminder_subjects(mailoutbox))


def test_no_reminder_more_than_24_hours_ahead(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    move_to(booking, timedelta(hours=30))

    with django_capture_on_commit_callbacks(execute=True):
        run("send_reminders")

    assert reminder_subjects(mailoutbox) == []


def test_cancelling_stops_the_pending_reminder(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    services.cancel(booking=booking, by="visitor")
    move_to(booking, timedelta(hours=20))

    with django_capture_on_commit_callbacks(execute=True):
        run("send_reminders")

    assert reminder_subjects(mailoutbox) == []


def test_purge_removes_personal_data_of_old_consultations_but_keeps_counts(booking):
    move_to(booking, -timedelta(days=91))
    Booking.objects.filter(pk=booking.pk).update(booked_by=make_user())

    output = run("purge_consultations")

    assert "Anonymised 1 consultations." in output
    booking.refresh_from_db()
    assert (booking.name, booking.email, booking.note) == ("", "", "")
    assert booking.booked_by is None  # nothing ties it to an account any more
    assert booking.anonymised_at is not None
    assert Booking.objects.filter(specialist=booking.specialist).count() == 1


def test_purge_leaves_recent_consultations_and_dry_run_changes_nothing(booking):
    move_to(booking, -timedelta(days=10))
    assert "Anonymised 0" in run("purge_consultations")

    move_to(booking, -timedelta(days=100))
    assert "Would anonymise 1" in run("purge_consultations", "--dry-run")
    booking.refresh_from_db()
    assert booking.email == "sam@example.org"


def test_purge_deletes_old_sent_emails_too(booking):
    OutboxMessage.objects.update(sent_at=timezone.now() - timedelta(days=120))

    output = run("purge_consultations")

    assert "Deleted 2 emails." in output
    assert not OutboxMessage.objects.exists()


def test_purge_deletes_unsent_emails_of_an_anonymised_consultation(booking):
    unsent = OutboxMessage.objects.unsent()
    assert unsent.count() == 2  # never committed here, so never sent
    # Personal data waits in them: the visitor's address (the note is on
    # the specialist's page, never in an email).
    assert any("sam@example.org" in " ".join(m.to) for m in unsent)
    move_to(booking, -timedelta(days=91))

    output = run("purge_consultations")

    assert "Anonymised 1 consultations." in output
    assert "Deleted 2 emails." in output
    assert not OutboxMessage.objects.exists()


def test_purge_keeps_the_emails_of_recent_consultations(booking):
    move_to(booking, -timedelta(days=10))

    output = run("purge_consultations")

    assert "Deleted 0 emails." in output
    assert OutboxMessage.objects.count() == 2


def test_no_reminder_for_a_consultation_booked_less_than_a_day_ahead(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() + timedelta(hours=13), created_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        run("send_reminders")

    assert reminder_subjects(mailoutbox) == []
