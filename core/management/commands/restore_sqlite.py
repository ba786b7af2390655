from django.core.management.base import BaseCommand, CommandError

from core import sqlite_backup
from core.management.commands.backup_sqlite import sqlite_path


class Command(BaseCommand):
    help = (
        "Replaces every table of the SQLite database with the contents of a "
        "backup made by backup_sqlite, after checking the backup with PRAGMA "
        "integrity_check. Stop the app servers and the background work first: "
        "whatever they write meanwhile is lost. Refuses on PostgreSQL (use "
        "pg_restore)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup to restore.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the backup and say what would be replaced; change nothing.",
        )

    def handle(self, *args, path, interactive, dry_run, **options):
        database = sqlite_path("restore")
        if dry_run:
            problems = sqlite_backup.integrity_problems(path)
            if problems:
                raise CommandError(f"{path} is not a sound SQLite database.")
            self.stdout.write(
                f"{path} is sound; restoring would replace {database}. "
                "Nothing changed (dry run)."
            )
            return
        if interactive:
            answer = input(
                f"This replaces everything in {database} with {path}. "
                "Type 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError("Nothing restored.")
        try:
            sqlite_backup.restore(path, database)
        except sqlite_backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {database} from {path}.")
