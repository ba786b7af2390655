from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core import sqlite_backup


def sqlite_path(purpose):
    """The SQLite file the settings name; a clear refusal on other databases."""
    if connection.vendor != "sqlite":
        raise CommandError(
            f"The database is {connection.display_name}, not SQLite: {purpose} it "
            "with pg_dump and pg_restore instead (README, Deploying)."
        )
    return connection.settings_dict["NAME"]


class Command(BaseCommand):
    help = (
        "Copies the SQLite database to PATH while the site keeps running "
        "(SQLite's online backup API: every committed change, none half-made), "
        "checks the copy with PRAGMA integrity_check and only then puts it at "
        "PATH, replacing the file there. Changes nothing in the database. "
        "Refuses on PostgreSQL (use pg_dump)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the backup.")

    def handle(self, *args, path, **options):
        database = sqlite_path("back up")
        try:
            sqlite_backup.backup(database, path)
        except sqlite_backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up the database to {path} (integrity check: ok).")
