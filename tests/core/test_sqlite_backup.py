"""backup_sqlite and restore_sqlite: a consistent copy while the site writes, a
restore that brings every row back, and a clear refusal on PostgreSQL.

The database here is a plain SQLite file with one invariant that every write
keeps in a single transaction (the ledger's total equals its rows' sum): a copy
that caught a transaction half-way would break it. The commands run as
production runs them, in a subprocess with SQLITE_PATH pointing at the file.
"""

import contextlib
import sqlite3
import threading

import pytest

from bench.prodsite import manage, production_env
from core import sqlite_backup


def create_ledger(path):
    with contextlib.closing(sqlite3.connect(path)) as database:
        database.execute("PRAGMA journal_mode=WAL")
        database.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, amount INT)")
        database.execute("CREATE TABLE total (amount INT)")
        database.execute("INSERT INTO total VALUES (0)")
        database.commit()


class Writer(threading.Thread):
    """Adds entries, each with the total in the same transaction, until told
    to stop; counts the transactions it committed."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.committed = 0

    def run(self):
        with contextlib.closing(
            sqlite3.connect(self.path, timeout=30, isolation_level=None)
        ) as database:
            while not self.stop.is_set():
                database.execute("BEGIN IMMEDIATE")
                for amount in range(1, 21):
                    database.execute("INSERT INTO entry (amount) VALUES (?)", [amount])
                database.execute("UPDATE total SET amount = amount + 210")
                database.execute("COMMIT")
                self.committed += 1

    def wait_for(self, transactions):
        while self.committed < transactions:
            self.stop.wait(0.01)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        self.join()


def ledger(path):
    with contextlib.closing(sqlite3.connect(path)) as database:
        entries, summed = database.execute(
            "SELECT count(*), coalesce(sum(amount), 0) FROM entry"
        ).fetchone()
        (total,) = database.execute("SELECT amount FROM total").fetchone()
    return entries, summed, total


def test_a_backup_taken_while_the_site_writes_holds_whole_transactions(tmp_path):
    database = tmp_path / "db.sqlite3"
    create_ledger(database)
    copies = []

    with Writer(database) as writer:
        for n in range(5):
            writer.wait_for(20 * (n + 1))
            copies.append(sqlite_backup.backup(database, tmp_path / f"copy{n}.sqlite3"))

    for copy in copies:
        entries, summed, total = ledger(copy)
        assert sqlite_backup.integrity_problems(copy) == []
        assert entries % 20 == 0
        assert summed == total == entries // 20 * 210
    assert ledger(copies[-1])[0] >= 100 * 20


def production(tmp_path, database):
    return production_env(tmp_path, SQLITE_PATH=str(database))


def test_backup_command_during_writes_then_restore_into_a_fresh_database(tmp_path):
    database = tmp_path / "db.sqlite3"
    create_ledger(database)
    backup = tmp_path / "backup.sqlite3"

    with Writer(database) as writer:
        writer.wait_for(10)
        before = writer.committed
        result = manage(production(tmp_path, database), "backup_sqlite", str(backup))
        after = writer.committed
    fresh = tmp_path / "fresh" / "db.sqlite3"
    fresh.parent.mkdir()
    restored = manage(
        production(tmp_path, fresh), "restore_sqlite", str(backup), "--no-input"
    )

    assert result.returncode == 0, result.stderr
    assert "integrity check: ok" in result.stdout
    assert restored.returncode == 0, restored.stderr
    assert sqlite_backup.integrity_problems(fresh) == []
    entries, summed, total = ledger(fresh)
    assert before * 20 <= entries <= after * 20
    assert summed == total == entries // 20 * 210
    assert ledger(fresh) == ledger(backup)
    assert list(tmp_path.glob("*.partial")) == []


def test_restore_replaces_what_the_database_held(tmp_path):
    database = tmp_path / "db.sqlite3"
    create_ledger(database)
    with Writer(database) as writer:
        writer.wait_for(3)
    sqlite_backup.backup(database, tmp_path / "backup.sqlite3")
    saved = ledger(database)
    with Writer(database) as writer:  # changes made after the backup
        writer.wait_for(writer.committed + 5)

    result = manage(
        production(tmp_path, database),
        "restore_sqlite",
        str(tmp_path / "backup.sqlite3"),
        "--no-input",
    )

    assert result.returncode == 0, result.stderr
    assert ledger(database) == saved
    assert sqlite_backup.integrity_problems(database) == []


@pytest.mark.parametrize(
    "content", [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x07" * 4000]
)
def test_restore_refuses_a_file_that_is_not_a_sound_database(tmp_path, content):
    database = tmp_path / "db.sqlite3"
    create_ledger(database)
    saved = ledger(database)
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(content)

    with pytest.raises(sqlite_backup.BackupError, match="not a sound SQLite database"):
        sqlite_backup.restore(broken, database)

    assert ledger(database) == saved


def test_a_backup_never_replaces_the_database_itself(tmp_path):
    database = tmp_path / "db.sqlite3"
    create_ledger(database)

    with pytest.raises(sqlite_backup.BackupError):
        sqlite_backup.backup(database, tmp_path / "." / "db.sqlite3")


@pytest.mark.parametrize("command", ["backup_sqlite", "restore_sqlite"])
def test_refuses_clearly_on_postgresql(tmp_path, command):
    # Nothing listens there: the refusal comes before any connection.
    env = production_env(tmp_path, database_url="postgres://nobody@127.0.0.1:9/nothing")
    options = ["--no-input"] if command == "restore_sqlite" else []

    result = manage(env, command, str(tmp_path / "backup.sqlite3"), *options)

    assert result.returncode != 0
    assert "The database is PostgreSQL, not SQLite" in result.stderr
    assert "pg_dump" in result.stderr
    assert not (tmp_path / "backup.sqlite3").exists()
