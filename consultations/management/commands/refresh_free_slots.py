from django.core.management.base import BaseCommand
from django.utils import timezone

from consultations import services
from specialists.models import Specialist


class Command(BaseCommand):
    help = (
        "Rewrites every specialist's free slots (the copy the directory, badges "
        "and featured lists read) from their hours, dates off and bookings. "
        "Each write that changes free time refreshes its specialist at once; "
        "this daily run keeps the copy a week ahead of the clock. Safe to run "
        "again or at the same time: each specialist is rewritten in one "
        "transaction."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        count = 0
        for specialist in Specialist.objects.only("pk", "time_zone").iterator():
            services.refresh_free_slots(specialist, now=now)
            count += 1
        self.stdout.write(f"Free slots refreshed for {count} specialists.")
