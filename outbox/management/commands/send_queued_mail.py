from django.core.management.base import BaseCommand

from outbox import services
from outbox.models import OutboxMessage


class Command(BaseCommand):
    help = (
        "Sends queued emails that are due: emails whose first try failed, "
        "retried 1, 2, 4 … minutes (at most an hour) apart until they go out. A "
        f"message still failing {services.GIVE_UP_AFTER.days} days after it was "
        "queued is marked failed and "
        "never tried again (the retention purge deletes it later). Each message "
        "is claimed before it is sent, so overlapping runs never send one twice: "
        "safe to run every minute from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the messages that are due without sending them.",
        )

    def handle(self, *args, dry_run, **options):
        if dry_run:
            due = OutboxMessage.objects.due().order_by("next_attempt_at", "pk")
            for message in due:
                self.stdout.write(
                    f"#{message.pk} to {', '.join(message.to)}: {message.subject} "
                    f"({message.attempts} earlier tries)"
                )
            self.stdout.write(f"{len(due)} messages due; nothing sent (dry run).")
            return
        sent = services.send_due()
        waiting = OutboxMessage.objects.waiting().count()
        self.stdout.write(f"Sent {sent} messages; {waiting} still waiting.")
