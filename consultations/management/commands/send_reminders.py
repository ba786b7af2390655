from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from consultations import emails
from consultations.models import Booking

AHEAD = timedelta(hours=24)


class Command(BaseCommand):
    help = (
        "Emails a reminder for each confirmed free consultation starting within "
        "the next 24 hours that has not had one (none for a consultation booked "
        "less than a day ahead; none to a visitor who asked for no email after "
        "the confirmation, though their specialist still gets one). Safe to run "
        "every few minutes "
        "from cron: each booking is claimed before its reminder is queued, so "
        "running it twice (or twice at once) sends one reminder."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List, send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        due = Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            reminder_sent_at__isnull=True,
            start__gt=now,
            start__lte=now + AHEAD,
            # Booked less than a day ahead: the confirmation was the reminder.
            created_at__lte=F("start") - AHEAD,
        ).select_related("specialist__user")
        sent = 0
        for booking in due:
            if dry_run:
                self.stdout.write(
                    f"Would remind booking {booking.pk} at {booking.start:%Y-%m-%d %H:%M} UTC"
                )
                continue
            with transaction.atomic():
                claimed = Booking.objects.filter(
                    pk=booking.pk,
                    status=Booking.Status.CONFIRMED,
                    reminder_sent_at__isnull=True,
                ).update(reminder_sent_at=now)
                if claimed:
                    emails.send_booking_reminder(booking, None)
                    sent += 1
        self.stdout.write(f"Reminders queued: {sent}")
