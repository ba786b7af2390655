"""`make bench`: every page of the site under load, beside a static file, in one
table; then booking throughput, slot computation, the directory's growth and
the article page's weight.

For each database (PostgreSQL from bench/services.py when installed, and
SQLite), a production-mode site (DEBUG off, gunicorn, 3 sync workers) is
prepared in a temporary directory and filled by bench/data.py (10,000
specialists, 1,000 bookings, 1,000 questions, a specialist who logs in). Each
page is loaded for BENCH_SECONDS at 32 connections in the same run as the
static file (the stylesheet, served by whitenoise from the same gunicorn),
which is loaded first and last. The logged-in pages carry the session cookie
of one real login through the login form.

Targets (printed, never enforced; the exit status is 0 unless the benchmark
itself fails): public pages at least 0.25 times the static file's requests
per second with a p99 of at most 100 ms; logged-in pages a p99 of at most
150 ms; booking with 0 errors.

Smoke run: BENCH_SECONDS below 5 (CI: BENCH_SECONDS=3) uses 1,000 specialists,
no warm-up, and loads the pages on the first database only (booking runs on
both), so that the whole run stays within a few minutes; the output says so.

Environment:
  BENCH_SECONDS        seconds of load per page (default 10; 3 for a smoke run)
  BENCH_WARMUP         seconds of load per page before measuring (default 1;
                       0 in a smoke run)
  BENCH_WORKERS        gunicorn sync workers (default 3)
  BENCH_CONNECTIONS    concurrent connections (default 32)
  BENCH_THREADS        wrk threads / load-generator processes (default: CPUs, max 4)
  BENCH_TOOL           "wrk" or "python" (default: wrk if /usr/bin/wrk exists)
  BENCH_DATABASES      "postgresql,sqlite", "sqlite", ... (default: both when
                       PostgreSQL is installed, the first one loads the pages
                       in a smoke run)
  BENCH_SPECIALISTS    approved specialists (default 10000; 1000 when smoke)
  BENCH_BOOKERS        concurrent visitors booking (default 8)
  BENCH_PAGES          comma-separated page names to load (default: all)

Run with `make bench`, or `.venv/bin/python bench/table.py`.
"""

import contextlib
import gzip
import http.client
import json
import math
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import loadgen, services  # noqa: E402
from bench.article_vs_static import Measurement, parse_wrk  # noqa: E402
from bench.prodsite import (  # noqa: E402
    ARTICLE_PATH,
    PROJECT_ROOT,
    Site,
    gunicorn_server,
    production_env,
)

WRK = "/usr/bin/wrk"
HOST = "localhost"
SMOKE_BELOW_SECONDS = 5
PUBLIC_RPS_RATIO = 0.25
PUBLIC_P99 = 0.100  # seconds
LOGGED_IN_P99 = 0.150  # seconds
STATIC = "static file (CSS)"


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # may hold {profile}, {book}, ... from bench/data.py's manifest
    logged_in: bool = False

    def url_path(self, manifest):
        return self.path.format(**manifest)


PAGES = [
    Page("home", "/"),
    Page("article list", "/articles/"),
    Page("article", ARTICLE_PATH),
    Page("directory", "/specialists/"),
    Page("directory, topic + language + free", "/specialists/?topic=trauma&language=de&free=on"),
    Page("directory, text search", "/specialists/?q=anxiety+berlin"),
    Page("directory, page 50", "/specialists/?page=50"),
    Page("profile", "{profile}"),
    Page("booking page (slot picker)", "{book}"),
    Page("free-consultation page", "/consultations/free/"),
    Page("question list", "/questions/"),
    Page("a question", "{question}"),
    Page("dashboard", "/specialists/me/", logged_in=True),
    Page("inbox", "/messages/", logged_in=True),
    Page("a conversation", "{conversation}", logged_in=True),
]  # fmt: skip


@dataclass
class Row:
    database: str
    page: str
    path: str
    logged_in: bool
    result: Measurement | None = None
    status: int = 200  # of one plain GET before the load; other: not loaded
    queries: int | None = None  # bench/pagecost.py: one request, in-process
    django_ms: float | None = None


@dataclass
class Booking:
    database: str
    bookings: int
    errors: int
    seconds: float
    post_latencies: list = field(default_factory=list)
    in_database: int | None = None
    connections: int = 0

    @property
    def rate(self):
        return self.bookings / self.seconds if self.seconds else 0.0


@dataclass
class Config:
    seconds: float = 10.0
    warmup: float = 1.0
    workers: int = 3
    connections: int = 32
    threads: int = 2
    tool: str = "wrk"
    databases: tuple = ("postgresql", "sqlite")
    specialists: int = 10_000
    bookings: int = 1_000
    questions: int = 1_000
    bookers: int = 8
    pages: tuple = tuple(p.name for p in PAGES)
    extras: bool = True  # slot computation, directory growth

    @property
    def smoke(self):
        return self.seconds < SMOKE_BELOW_SECONDS


# --- Verdicts and the table -------------------------------------------------


def ratio(value, reference):
    return value / reference if reference else math.nan


def verdict(row, static_rps):
    """'met', 'missed (...)' or the reason the page was not measured."""
    if row.result is None:
        return f"not loaded: HTTP {row.status}"
    result = row.result
    if not result.requests:
        return "missed (no answer within the run)"
    missed = []
    if row.logged_in:
        if result.p99 > LOGGED_IN_P99:
            missed.append("p99")
    else:
        if ratio(result.rps, static_rps) < PUBLIC_RPS_RATIO:
            missed.append("rps")
        if result.p99 > PUBLIC_P99:
            missed.append("p99")
    if result.errors:
        missed.append("errors")
    return f"missed ({', '.join(missed)})" if missed else "met"


def target_text(row):
    if row.logged_in:
        return f"p99 ≤ {LOGGED_IN_P99 * 1000:.0f} ms"
    return f"≥ {PUBLIC_RPS_RATIO:g}× static, p99 ≤ {PUBLIC_P99 * 1000:.0f} ms"


def ms(seconds):
    if seconds is None or math.isnan(seconds):
        return "–"
    return (
        f"{seconds * 1000:.0f} ms" if seconds >= 0.0995 else f"{seconds * 1000:.1f} ms"
    )


def markdown_table(header, lines):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(cell) for cell in line) + " |" for line in lines]
    return "\n".join(out)


def pages_table(rows, static_rps):
    """The pages of one database as a Markdown table (the README's format)."""
    lines = []
    for row in rows:
        r = row.result
        cost = [
            "" if row.queries is None else row.queries,
            "" if row.django_ms is None else f"{row.django_ms:.1f} ms",
        ]
        if r is None:
            lines.append([row.database, row.page, "–", "–", "–", "–", "–",
                          target_text(row), verdict(row, static_rps), *cost])  # fmt: skip
            continue
        shown_ratio = "" if row.page == STATIC else f"{ratio(r.rps, static_rps):.2f}"
        # With no answer, wrk's latencies are zeros, not figures.
        p50, p99 = (ms(r.p50), ms(r.p99)) if r.requests else ("–", "–")
        lines.append([
            row.database, row.page, f"{r.rps:,.0f}", p50, p99,
            r.errors, shown_ratio,
            "" if row.page == STATIC else target_text(row),
            "" if row.page == STATIC else verdict(row, static_rps),
            *cost,
        ])  # fmt: skip
    header = ["database", "page", "requests/s", "p50", "p99", "errors",
              "× static", "target", "", "queries", "in Django"]  # fmt: skip
    return markdown_table(header, lines)


def percentile(values, percent):
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1]


def booking_table(bookings):
    lines = [
        [b.database, b.connections, b.bookings, f"{b.rate:,.1f}",
         ms(percentile(b.post_latencies, 50)), ms(percentile(b.post_latencies, 99)),
         b.errors, "–" if b.in_database is None else b.in_database,
         "met" if b.errors == 0 and b.in_database == b.bookings else "missed"]
        for b in bookings
    ]  # fmt: skip
    header = ["database", "visitors at once", "bookings", "bookings/s",
              "POST p50", "POST p99", "errors", "new rows", "0 errors"]  # fmt: skip
    return markdown_table(header, lines)


def weight_table(resources):
    """[(url, kind, bytes, gzip bytes, bytes as served with Accept-Encoding)]."""
    lines = [[url, kind, f"{raw:,}", f"{packed:,}", f"{served:,}"]
             for url, kind, raw, packed, served in resources]  # fmt: skip
    total = [sum(r[i] for r in resources) for i in (2, 3, 4)]
    lines.append([f"**total, {len(resources)} requests**", "",
                  *(f"**{n:,}**" for n in total)])  # fmt: skip
    header = ["resource", "kind", "bytes", "gzip -6", "as served (gzip, br asked)"]
    return markdown_table(header, lines)


# --- Load ---------------------------------------------------------------------


def run_wrk(url, *, seconds, connections, threads, headers=()):
    command = [
        WRK,
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        "--latency",
        f"--header=Host: {HOST}",
        *(f"--header={name}: {value}" for name, value in headers),
        url,
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    return parse_wrk(output)


def run_python(url, *, seconds, connections, threads, headers=()):
    result = loadgen.run(
        url,
        connections=connections,
        seconds=seconds,
        processes=threads,
        host=HOST,
        headers=headers,
    )
    return Measurement(
        rps=result.rps,
        p50=result.percentile(50),
        p99=result.percentile(99),
        requests=result.requests,
        errors=result.errors,
    )


def load(config, base_url, path, headers=()):
    drive = run_wrk if config.tool == "wrk" else run_python
    options = {"connections": config.connections, "threads": config.threads}
    if config.warmup > 0:
        drive(base_url + path, seconds=config.warmup, headers=headers, **options)
        drain(base_url)
    result = drive(base_url + path, seconds=config.seconds, headers=headers, **options)
    drain(base_url)
    return result


def drain(base_url):
    """Waits until gunicorn has worked through the requests the load tool left
    behind: sync workers still answer the requests of connections closed at
    the end of a run, and the next run would queue behind them. The listen
    queue is first in, first out, so one fresh request answered means it is
    empty."""
    request(base_url, "GET", "/robots.txt")


# --- HTTP helpers (one request per connection, as sync gunicorn does) ------------


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def cookies(self):
        """name -> value of every Set-Cookie."""
        found = {}
        for header in self.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
        return found


def request(base_url, method, path, *, headers=None, body=None, source=None):
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(
        url.hostname, url.port, timeout=30, source_address=source
    )
    try:
        connection.request(
            method, path, body=body, headers={"Host": HOST, **(headers or {})}
        )
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def cookie_header(cookies):
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


class _FormInputs(HTMLParser):
    """The named <input> values of the form whose action is `action` (or of
    the first POST form)."""

    def __init__(self, action=None):
        super().__init__()
        self.action, self.inside, self.values = action, False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.inside = self.action is None or attrs.get("action") in (
                self.action,
                "",
                None,
            )
        elif tag == "input" and self.inside and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind == "hidden" or (
                kind in ("radio", "checkbox") and "checked" in attrs
            ):
                self.values[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
            self.action = "done"  # the first matching form only


def form_inputs(html, action=None):
    parser = _FormInputs(action)
    parser.feed(html.decode("utf-8", "replace"))
    return parser.values


def log_in(base_url, email, password):
    """Logs in through allauth's form; returns the cookies (session, CSRF)."""
    page = request(base_url, "GET", "/accounts/login/")
    cookies = page.cookies()
    fields = form_inputs(page.body)
    fields.update(login=email, password=password)
    answer = request(
        base_url,
        "POST",
        "/accounts/login/",
        body=urlencode(fields),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(cookies),
        },
    )
    if answer.status != 302:
        raise RuntimeError(f"login answered {answer.status}, not a redirect")
    cookies.update(answer.cookies())
    return cookies


# --- Booking throughput ------------------------------------------------------------


def visitor_address(number):
    """A loopback address of its own for every group of 8 bookings: each
    visitor stays within the per-address limit (10 an hour), as real visitors
    do, without any proxy setting. Linux answers on all of 127.0.0.0/8."""
    group = number // 8
    return f"127.1.{group // 250}.{group % 250 + 1}"


def book_one(base_url, number, slug, start):
    """The booking form as a browser fills it: GET with ?slot=, then POST with
    its CSRF cookie and token. Returns (booked, seconds of the POST)."""
    source = (visitor_address(number), 0)
    path = f"/specialists/{slug}/book/"
    page = request(base_url, "GET", f"{path}?slot={quote(start)}", source=source)
    if page.status != 200:
        return False, None
    fields = form_inputs(page.body)
    fields.update(
        name=f"Bench visitor {number}",
        email=f"bench-booker-{number}@example.invalid",
        preferred_format="video",
        consent="on",
        website="",
    )
    started = time.perf_counter()
    answer = request(
        base_url,
        "POST",
        path,
        body=urlencode(fields),
        source=source,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(page.cookies()),
        },
    )
    elapsed = time.perf_counter() - started
    booked = answer.status == 302 and answer.headers.get("Location", "").endswith(
        "/consultations/booked/"
    )
    return booked, elapsed


def book_many(base_url, slots, *, seconds, visitors, database):
    """`visitors` threads book distinct slots for `seconds` (or until the
    slots run out)."""
    queue = list(enumerate(slots))
    queue.reverse()
    lock = threading.Lock()
    result = Booking(database=database, bookings=0, errors=0, seconds=0.0)
    result.connections = visitors
    deadline = time.monotonic() + seconds

    def work():
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    return
                number, (slug, start) = queue.pop()
            try:
                booked, elapsed = book_one(base_url, number, slug, start)
            except (OSError, http.client.HTTPException):
                booked, elapsed = False, None
            with lock:
                if booked:
                    result.bookings += 1
                    result.post_latencies.append(elapsed)
                else:
                    result.errors += 1

    started = time.monotonic()
    threads = [threading.Thread(target=work) for _ in range(visitors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def count_bookings(site):
    """Rows in the booking table, read straight from the database (a
    manage.py subprocess would cost a Django start-up)."""
    query = "SELECT COUNT(*) FROM consultations_booking"
    if "DATABASE_URL" in site.env:
        import psycopg

        with psycopg.connect(site.env["DATABASE_URL"]) as connection:
            return connection.execute(query).fetchone()[0]
    with contextlib.closing(sqlite3.connect(site.env["SQLITE_PATH"])) as connection:
        return connection.execute(query).fetchone()[0]


# --- Page weight -------------------------------------------------------------------


class _Subresources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") in ("stylesheet", "icon"):
            self.found.append((attrs.get("href"), attrs["rel"]))
        elif tag in ("script", "img") and attrs.get("src"):
            self.found.append((attrs["src"], "script" if tag == "script" else "image"))


def page_weight(base_url, path):
    """The page and everything it loads: [(url, kind, bytes, gzip -6 bytes,
    bytes as served to a browser that accepts gzip and br)]."""
    accepting = {"Accept-Encoding": "gzip, br"}
    page = request(base_url, "GET", path)
    parser = _Subresources()
    parser.feed(page.body.decode("utf-8", "replace"))
    resources = [(path, "html")] + [
        (url, kind) for url, kind in parser.found if not urlsplit(url).netloc
    ]
    weights = []
    for url, kind in resources:
        plain = request(base_url, "GET", url).body
        served = request(base_url, "GET", url, headers=accepting).body
        packed = len(gzip.compress(plain, compresslevel=6))
        weights.append((url, kind, len(plain), packed, len(served)))
    return weights


# --- Extras: slot computation and directory growth ---------------------------------


def run_script(script, **variables):
    """Output of another bench/ script, with the caller's environment."""
    env = {**os.environ, **{name: str(value) for name, value in variables.items()}}
    result = subprocess.run(
        [sys.executable, script], cwd=PROJECT_ROOT, env=env, capture_output=True,
        text=True, timeout=1800,
    )  # fmt: skip
    if result.returncode:
        return f"{script} failed ({result.returncode}):\n{result.stderr[-2000:]}"
    return result.stdout.rstrip()


def slot_computation(config):
    return run_script("bench/slots.py", BENCH_RUNS=50 if config.smoke else 200)


def directory_growth(config):
    """The directory's server time at 1,000, 10,000 and 100,000 specialists,
    cold, side by side (bench/directory.py); only 1,000 in a smoke run."""
    if config.smoke:
        return run_script(
            "bench/directory.py", BENCH_DIRECTORY_SIZES="1000", BENCH_REQUESTS=20
        )
    return run_script("bench/directory.py")


# --- One database ------------------------------------------------------------------


def seed(site, config):
    """bench/data.py in the site's environment: the same preparation as
    bench/prodsite.py's prepare_site (migrate, cache table, seed article,
    static files), then the data. Returns its manifest."""
    output = manage_or_fail_script(
        site.env,
        "bench/data.py",
        "--prepare",  # prepare_site's work, in the same process
        f"--specialists={config.specialists}",
        f"--bookings={config.bookings}",
        f"--questions={config.questions}",
    )
    return json.loads(output.strip().splitlines()[-1])


def manage_or_fail_script(env, script, *args):
    result = subprocess.run(
        [sys.executable, script, *args], cwd=PROJECT_ROOT, env=env,
        capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    if result.returncode:
        raise RuntimeError(f"{script} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def page_costs(site, manifest, rows):
    """bench/pagecost.py for the rows' pages: queries and in-process time."""
    paths = [("@" if row.logged_in else "") + row.path for row in rows]
    output = manage_or_fail_script(
        site.env, "bench/pagecost.py", manifest["login_email"], *paths
    )
    costs = json.loads(output.strip().splitlines()[-1])
    for row, path in zip(rows, paths, strict=True):
        row.queries, row.django_ms, _status = costs[path]


def static_path(site):
    return site.static_url("css/site.css")


def measure_pages(site, base_url, manifest, config, database, say):
    """Loads each page, the static file first and (full run) last."""
    pages = [page for page in PAGES if page.name in config.pages]
    cookies = {}
    if any(page.logged_in for page in pages):
        cookies = log_in(base_url, manifest["login_email"], manifest["login_password"])
    static = Row(database, STATIC, static_path(site), logged_in=False)
    rows = []
    for page in pages:
        path = page.url_path(manifest)
        rows.append(Row(database, page.name, path, page.logged_in))
    page_costs(site, manifest, rows)
    statics = []
    for row in [static, *rows, *([] if config.smoke else [static])]:
        headers = {"Cookie": cookie_header(cookies)} if row.logged_in else {}
        row.status = request(base_url, "GET", row.path, headers=headers).status
        if row.status != 200:
            say(f"  {row.page}: HTTP {row.status}, not loaded")
            continue
        say(f"  {row.page} ({row.path}) for {config.seconds:g} s")
        result = load(config, base_url, row.path, headers=list(headers.items()))
        if row.page == STATIC:
            statics.append(result)
        row.result = result
    # The reference: the mean of the static file's runs, first and last.
    static.result = Measurement(
        rps=statistics.fmean(s.rps for s in statics),
        p50=statistics.fmean(s.p50 for s in statics),
        p99=statistics.fmean(s.p99 for s in statics),
        requests=sum(s.requests for s in statics),
        errors=sum(s.errors for s in statics),
    )
    return [static, *rows], statics


@contextlib.contextmanager
def database_url(name):
    if name == "postgresql":
        with services.postgres_server() as url:
            yield url
    elif name == "sqlite":
        yield None
    else:
        raise ValueError(f"unknown database {name!r} (postgresql or sqlite)")


LABELS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def run(config, say=print):
    """Runs the benchmark; returns a dict of its parts (rows, statics,
    bookings, weight, extras)."""
    report = {"rows": [], "statics": {}, "bookings": [], "weight": None,
              "seeded": {}, "extras": {}}  # fmt: skip
    for index, name in enumerate(config.databases):
        label = LABELS[name]
        load_pages = index == 0 or not config.smoke
        with (
            tempfile.TemporaryDirectory(prefix="bench-table-") as directory,
            database_url(name) as url,
        ):
            say(f"{label}: preparing a production-mode site (DEBUG off) ...")
            site = Site(Path(directory), production_env(directory, database_url=url))
            manifest = seed(site, config)
            report["seeded"][label] = manifest["seconds"]
            say(f"{label}: {config.specialists:,} specialists seeded in "
                f"{manifest['seconds']:.0f} s")  # fmt: skip
            with gunicorn_server(site, workers=config.workers) as base_url:
                if load_pages:
                    rows, statics = measure_pages(
                        site, base_url, manifest, config, label, say
                    )
                    report["rows"] += rows
                    report["statics"][label] = statics
                if report["weight"] is None:
                    report["weight"] = page_weight(base_url, ARTICLE_PATH)
                say(f"{label}: booking distinct slots for {config.seconds:g} s")
                before = count_bookings(site)
                booking = book_many(
                    base_url,
                    manifest["slots"],
                    seconds=config.seconds,
                    visitors=config.bookers,
                    database=label,
                )
            booking.in_database = count_bookings(site) - before
            report["bookings"].append(booking)
    if config.extras:
        say("Slot computation (bench/slots.py) ...")
        report["extras"]["slots"] = slot_computation(config)
        say("Directory growth (bench/directory.py) ...")
        report["extras"]["directory"] = directory_growth(config)
    return report


def print_report(report, config, out=print):
    tool = "wrk" if config.tool == "wrk" else "Python load generator (bench/loadgen.py)"
    out("")
    if config.smoke:
        out(f"SMOKE RUN ({config.seconds:g} s per page, {config.specialists:,} "
            "specialists, pages on the first database only): figures are rough.")  # fmt: skip
    out(f"gunicorn {config.workers} sync workers, {config.connections} connections, "
        f"{config.seconds:g} s per page after {config.warmup:g} s of warm-up, {tool} "
        f"with {config.threads} threads, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.2f} at the end")  # fmt: skip
    out(f"Data: {config.specialists:,} approved specialists, {config.bookings:,} "
        f"bookings, {config.questions:,} questions (bench/data.py)")  # fmt: skip
    out("")
    by_database = {}
    for row in report["rows"]:
        by_database.setdefault(row.database, []).append(row)
    for database, rows in by_database.items():
        static_rps = rows[0].result.rps if rows[0].result else math.nan
        runs = report["statics"].get(database, [])
        if len(runs) > 1:
            out(f"{database}: static file first {runs[0].rps:,.0f} requests/s, "
                f"last {runs[-1].rps:,.0f}; the ratio uses their mean.")  # fmt: skip
        out(pages_table(rows, static_rps))
        out("")
    out("Booking throughput: distinct slots, the real form (GET, then POST with "
        "CSRF), each visitor from its own loopback address")  # fmt: skip
    out(booking_table(report["bookings"]))
    out("")
    if report["weight"]:
        out("The article page with everything it loads")
        out(weight_table(report["weight"]))
        out("")
    if "slots" in report["extras"]:
        out("Slot computation (bench/slots.py)")
        out(report["extras"]["slots"])
        out("")
    if "directory" in report["extras"]:
        out("Directory growth, cold, in-process (bench/directory.py)")
        out(report["extras"]["directory"])


def env_number(name, default, kind=float):
    raw = os.environ.get(name, "").strip()
    return kind(raw) if raw else default


def config_from_env():
    seconds = env_number("BENCH_SECONDS", 10.0)
    smoke = seconds < SMOKE_BELOW_SECONDS
    tool = os.environ.get("BENCH_TOOL") or ("wrk" if os.access(WRK, os.X_OK) else "python")  # fmt: skip
    if tool not in ("wrk", "python"):
        sys.exit(f"BENCH_TOOL must be 'wrk' or 'python', got {tool!r}")
    default_databases = (
        "sqlite" if services.missing("postgresql") else "postgresql,sqlite"
    )
    databases = tuple(
        name.strip()
        for name in (os.environ.get("BENCH_DATABASES") or default_databases).split(",")
        if name.strip()
    )
    for name in databases:
        if name not in LABELS:
            sys.exit(f"BENCH_DATABASES: unknown database {name!r}")
    pages = os.environ.get("BENCH_PAGES")
    names = tuple(p.strip() for p in pages.split(",")) if pages else tuple(p.name for p in PAGES)  # fmt: skip
    return Config(
        seconds=seconds,
        # A smoke run's pages are warmed by their one checking request only.
        warmup=env_number("BENCH_WARMUP", 0.0 if smoke else 1.0),
        workers=env_number("BENCH_WORKERS", 3, int),
        connections=env_number("BENCH_CONNECTIONS", 32, int),
        threads=env_number("BENCH_THREADS", max(1, min(4, os.cpu_count() or 1)), int),
        tool=tool,
        databases=databases,
        specialists=env_number("BENCH_SPECIALISTS", 1_000 if smoke else 10_000, int),
        bookers=env_number("BENCH_BOOKERS", 8, int),
        pages=names,
    )


def main():
    config = config_from_env()
    started = time.monotonic()
    report = run(config, say=lambda text: print(text, flush=True))
    print_report(report, config)
    print(f"\nWhole run: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
