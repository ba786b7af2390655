from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from consultations import services
from consultations.models import Booking
from outbox import services as outbox
from outbox.models import OutboxMessage


class Command(BaseCommand):
    help = (
        "Removes the personal data (name, email, phone, contact wishes, note, "
        "reason, private link) of free consultations that took place more than "
        "CONSULTATION_RETENTION_DAYS days ago (90 by default), with every email "
        "about them, sent or not, and deletes every other email (sent, failed or "
        "waiting) queued more than that long ago. The booking rows stay, without "
        "anything personal, for anonymous counts. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=settings.CONSULTATION_RETENTION_DAYS
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count, change nothing."
        )

    def handle(self, *args, days, dry_run=False, **options):
        cutoff = timezone.now() - timedelta(days=days)
        old = Booking.objects.filter(start__lt=cutoff, anonymised_at__isnull=True)
        if dry_run:
            self.stdout.write(f"Would anonymise {old.count()} consultations.")
            old_mail = OutboxMessage.objects.filter(created_at__lt=cutoff)
            self.stdout.write(f"Would delete at least {old_mail.count()} emails.")
            return
        deleted = outbox.purge(before=cutoff)
        count = 0
        for booking in old.only("pk"):
            # Unsent emails hold the name, address, note and manage link.
            deleted += outbox.forget(about=booking)
            services.anonymise(booking)
            count += 1
        self.stdout.write(f"Anonymised {count} consultations.")
        self.stdout.write(f"Deleted {deleted} emails.")
