from django.core.management.base import BaseCommand

from helplines import shipped


class Command(BaseCommand):
    help = (
        "Adds the emergency numbers and support lines shipped in "
        "helplines/data/helplines.json, and brings up to date the ones nobody "
        "has edited. A country or line an admin has changed is never "
        "overwritten, and nothing is deleted, so it is safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", default=shipped.DATA_FILE, help="Another data file to load."
        )

    def handle(self, *args, file, **options):
        report = shipped.load(shipped.read(file))
        for what in report.kept:
            self.stdout.write(f"Edited by an admin, left as it is: {what}")
        self.stdout.write(
            "Help now data: {created} created, {updated} updated, "
            "{unchanged} unchanged, {kept} kept as edited.".format(
                **{k: report[k] for k in ("created", "updated", "unchanged", "kept")}
            )
        )
