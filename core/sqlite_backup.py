"""Online backup and restore of the SQLite database, through SQLite's backup API.

Copying db.sqlite3 with cp while the site runs can catch a write half-way, and
misses whatever still sits in db.sqlite3-wal. SQLite's backup API copies the
database as one read transaction sees it: every committed transaction and
nothing of one in progress. In WAL mode the site's writers go on meanwhile
(their changes wait in the WAL until the copy is done).

A backup is written next to its destination under a temporary name, checked
with PRAGMA integrity_check, then renamed into place: the destination holds
either the previous backup or a complete new one, never half of one.

Restoring also goes through the backup API, into the database the settings
name: SQLite replaces its pages and deals with its WAL and shared-memory files
(a file copied over db.sqlite3 by hand, with an old db.sqlite3-wal beside it,
is a corrupt database).
"""

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path


class BackupError(Exception):
    pass


def integrity_problems(path):
    """PRAGMA integrity_check's complaints about the database at `path`, or []
    when it is sound and holds at least one table."""
    try:
        with contextlib.closing(_open_read_only(path)) as database:
            rows = database.execute("PRAGMA integrity_check").fetchall()
            tables = database.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    problems = [row[0] for row in rows]
    if problems != ["ok"]:
        return problems
    # An empty file is a sound, empty database: restoring it would erase all.
    return [] if tables else ["no tables"]


def backup(database_path, backup_path):
    """Copies the live database at `database_path` to `backup_path`."""
    database_path, backup_path = Path(database_path), Path(backup_path)
    if not database_path.exists():
        raise BackupError(f"There is no database at {database_path}.")
    if _same_file(database_path, backup_path):
        raise BackupError("The backup cannot replace the database itself.")
    handle, temporary = tempfile.mkstemp(
        dir=backup_path.parent, prefix=f".{backup_path.name}.", suffix=".partial"
    )
    os.close(handle)
    try:
        with (
            contextlib.closing(sqlite3.connect(database_path, timeout=30)) as source,
            contextlib.closing(sqlite3.connect(temporary)) as target,
        ):
            # pages=-1 (the default): the whole database in one step, so in
            # one read transaction.
            source.backup(target)
            # The copy is a plain file on its own, without a WAL beside it.
            target.execute("PRAGMA journal_mode=DELETE")
        problems = integrity_problems(temporary)
        if problems:
            raise BackupError(f"The copy failed its integrity check: {problems[:5]}")
        os.replace(temporary, backup_path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return backup_path


def restore(backup_path, database_path):
    """Replaces the database at `database_path` with the backup's contents."""
    backup_path, database_path = Path(backup_path), Path(database_path)
    if not backup_path.is_file():
        raise BackupError(f"There is no backup at {backup_path}.")
    if _same_file(database_path, backup_path):
        raise BackupError("The backup and the database are the same file.")
    problems = integrity_problems(backup_path)
    if problems:
        raise BackupError(
            f"{backup_path} is not a sound SQLite database, nothing restored: "
            f"{problems[:5]}"
        )
    with (
        contextlib.closing(_open_read_only(backup_path)) as source,
        contextlib.closing(sqlite3.connect(database_path, timeout=30)) as target,
    ):
        source.backup(target)
    return database_path


def _open_read_only(path):
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def _same_file(a, b):
    return a.resolve() == b.resolve()
