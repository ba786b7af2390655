"""A tiny `make bench`: a production-mode site on SQLite, a few pages for a
second each, booking through the real form, the article's weight."""

import os

from bench import table


def test_tiny_bench_loads_pages_books_slots_and_weighs_the_article():
    config = table.Config(
        seconds=1,
        warmup=1,  # each worker compiles its templates before the measured second
        connections=4,
        threads=1,
        tool="wrk" if os.access(table.WRK, os.X_OK) else "python",
        databases=("sqlite",),
        specialists=30,
        bookings=10,
        questions=5,
        bookers=2,
        pages=("directory, text search", "a question", "dashboard"),
        extras=False,
    )
    said = []

    report = table.run(config, say=said.append)

    rows = {row.page: row for row in report["rows"]}
    assert list(rows) == [table.STATIC, "directory, text search", "a question", "dashboard"]  # fmt: skip
    for row in rows.values():
        assert row.status == 200, row
        assert row.result.requests > 0, row
        assert row.result.errors == 0, row
    # The dashboard answered 200 with the session cookie: the login worked.
    assert rows["dashboard"].logged_in

    [booking] = report["bookings"]
    assert booking.bookings > 0
    assert booking.errors == 0
    assert booking.in_database == booking.bookings

    kinds = [kind for _url, kind, *_sizes in report["weight"]]
    assert kinds[0] == "html"
    assert "stylesheet" in kinds

    printed = []
    table.print_report(report, config, out=printed.append)
    text = "\n".join(printed)
    assert "SMOKE RUN" in text
    assert "| SQLite | dashboard |" in text
    assert "| SQLite | 2 |" in text  # the booking row
