"""The benchmark table's own logic: verdicts, formatting, form and cookie
parsing, visitor addresses. No server: figures are made up."""

import http.client
import io
import math

from bench import table
from bench.article_vs_static import Measurement


def measured(rps=1000.0, p50=0.005, p99=0.020, errors=0):
    return Measurement(rps=rps, p50=p50, p99=p99, requests=int(rps), errors=errors)


def row(page="home", logged_in=False, **figures):
    return table.Row("SQLite", page, "/", logged_in, result=measured(**figures))


def test_public_page_meets_target_at_a_quarter_of_static_and_p99_of_100_ms():
    assert table.verdict(row(rps=250, p99=0.100), static_rps=1000) == "met"


def test_public_page_below_a_quarter_of_static_misses_on_rps():
    assert table.verdict(row(rps=249, p99=0.050), static_rps=1000) == "missed (rps)"


def test_public_page_slow_and_failing_misses_on_every_count():
    verdict = table.verdict(row(rps=10, p99=0.5, errors=3), static_rps=1000)
    assert verdict == "missed (rps, p99, errors)"


def test_logged_in_page_is_judged_on_p99_of_150_ms_only():
    assert table.verdict(row(logged_in=True, rps=1, p99=0.150), 1000) == "met"
    assert table.verdict(row(logged_in=True, rps=1, p99=0.151), 1000) == "missed (p99)"


def test_page_that_answered_nothing_within_the_run_misses_whatever_its_zeros():
    silent = row(logged_in=True, rps=0, p50=0, p99=0)
    assert table.verdict(silent, 1000) == "missed (no answer within the run)"
    assert "| – | – |" in table.pages_table([silent], static_rps=1000)


def test_page_that_did_not_answer_200_says_so_instead_of_a_verdict():
    unloaded = table.Row("SQLite", "dashboard", "/specialists/me/", True, status=302)
    assert table.verdict(unloaded, 1000) == "not loaded: HTTP 302"


def test_pages_table_is_markdown_with_ratio_target_and_verdict_per_row():
    static = table.Row("PostgreSQL", table.STATIC, "/static/x.css", False,
                       result=measured(rps=4000))  # fmt: skip
    home = table.Row("PostgreSQL", "home", "/", False,
                     result=measured(rps=1000, p50=0.0123, p99=0.250),
                     queries=7, django_ms=4.49)  # fmt: skip
    text = table.pages_table([static, home], static_rps=4000)
    lines = text.splitlines()
    assert lines[0].startswith("| database | page | requests/s | p50 | p99 |")
    assert lines[1] == "|---|---|---|---|---|---|---|---|---|---|---|"
    assert lines[2] == "| PostgreSQL | static file (CSS) | 4,000 | 5.0 ms | 20.0 ms | 0 |  |  |  |  |  |"  # fmt: skip
    assert lines[3] == (
        "| PostgreSQL | home | 1,000 | 12.3 ms | 250 ms | 0 | 0.25 | "
        "≥ 0.25× static, p99 ≤ 100 ms | missed (p99) | 7 | 4.5 ms |"
    )


def test_milliseconds_keep_one_decimal_below_100_ms_and_none_above():
    assert table.ms(0.0042) == "4.2 ms"
    assert table.ms(0.1234) == "123 ms"
    assert table.ms(math.nan) == "–"


def test_booking_table_meets_only_with_no_error_and_every_booking_in_the_database():
    good = table.Booking("SQLite", bookings=3, errors=0, seconds=1.5,
                         post_latencies=[0.01, 0.02, 0.03], in_database=3,
                         connections=8)  # fmt: skip
    lost = table.Booking("PostgreSQL", bookings=3, errors=0, seconds=1.0,
                         post_latencies=[0.01], in_database=2, connections=8)  # fmt: skip
    lines = table.booking_table([good, lost]).splitlines()
    assert lines[2] == "| SQLite | 8 | 3 | 2.0 | 20.0 ms | 30.0 ms | 0 | 3 | met |"
    assert lines[3].endswith("| 2 | missed |")


def test_weight_table_totals_every_column():
    text = table.weight_table(
        [("/a/", "html", 1000, 300, 1000), ("/s.css", "stylesheet", 2000, 500, 510)]
    )
    assert text.splitlines()[-1] == (
        "| **total, 2 requests** |  | **3,000** | **800** | **1,510** |"
    )


def test_form_inputs_reads_hidden_and_checked_inputs_of_the_post_form_only():
    html = b"""
    <form method="get" action="/search/"><input type="hidden" name="q" value="x"></form>
    <form method="post" action="/book/">
      <input type="hidden" name="csrfmiddlewaretoken" value="abc">
      <input type="hidden" name="slot" value="2026-12-03T08:00:00+00:00">
      <input type="radio" name="preferred_format" value="video" checked>
      <input type="radio" name="preferred_format" value="phone">
      <input type="text" name="name" value="typed">
    </form>
    <form method="post" action="/logout/"><input type="hidden" name="next" value="/"></form>
    """
    assert table.form_inputs(html, "/book/") == {
        "csrfmiddlewaretoken": "abc",
        "slot": "2026-12-03T08:00:00+00:00",
        "preferred_format": "video",
    }


def test_cookies_are_read_from_every_set_cookie_header():
    headers = http.client.parse_headers(io.BytesIO(
        b"Set-Cookie: __Host-csrftoken=tok; Path=/; Secure\r\n"
        b"Set-Cookie: __Host-sessionid=sid; HttpOnly; Path=/\r\n\r\n"
    ))  # fmt: skip
    answer = table.Answer(200, headers, b"")
    assert answer.cookies() == {"__Host-csrftoken": "tok", "__Host-sessionid": "sid"}
    assert table.cookie_header(answer.cookies()) == (
        "__Host-csrftoken=tok; __Host-sessionid=sid"
    )


def test_each_loopback_visitor_address_books_at_most_eight_times():
    addresses = [table.visitor_address(n) for n in range(4000)]
    assert addresses[0] == addresses[7] == "127.1.0.1"
    assert addresses[8] == "127.1.0.2"
    assert max(addresses.count(a) for a in set(addresses)) == 8
    assert all(a.startswith("127.") for a in addresses)


def test_smoke_run_below_five_seconds_uses_a_thousand_specialists(monkeypatch):
    monkeypatch.setenv("BENCH_SECONDS", "3")
    monkeypatch.setenv("BENCH_DATABASES", "sqlite")
    monkeypatch.delenv("BENCH_SPECIALISTS", raising=False)
    config = table.config_from_env()
    assert config.smoke
    assert config.specialists == 1000
    assert config.databases == ("sqlite",)


def test_full_run_uses_ten_thousand_specialists_and_every_page(monkeypatch):
    monkeypatch.setenv("BENCH_SECONDS", "10")
    monkeypatch.delenv("BENCH_SPECIALISTS", raising=False)
    monkeypatch.delenv("BENCH_PAGES", raising=False)
    config = table.config_from_env()
    assert not config.smoke
    assert config.specialists == 10_000
    assert len(config.pages) == 15
