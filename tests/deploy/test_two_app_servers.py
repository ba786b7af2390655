"""Two app servers, one PostgreSQL, one Redis: the site as it runs when it
outgrows one machine.

The module starts a throwaway PostgreSQL and Redis (bench/services.py), migrates
the site on them with production settings, and serves it from two gunicorns
(three sync workers each) that share them, as two machines behind one proxy
would. Every visitor below is a thread with its own cookies and its own
client address (X-Forwarded-For, through one trusted proxy), sent to either
server: nothing may depend on which one answers.

It runs in the suite's PostgreSQL run (DATABASE_URL=postgres://..., as CI's
second leg sets it) and skips elsewhere: it starts its own servers, so the
SQLite run would only repeat it. With REQUIRE_SERVICES set (CI), missing
packages fail it instead of skipping. Its processes use about 25 s of CPU
(the migrations, six workers booting, about a hundred requests): some 80 s of
wall time on two cores shared with other test runs.

The gunicorns load tests/deploy/cluster_settings.py: the production settings
plus hold_booking, a test-only app that holds one chosen booking open just
before its commit, so that its worker can be killed at the worst moment.
"""

import contextlib
import http.client
import itertools
import json
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import psycopg
import pytest
import redis

from bench.prodsite import Site, gunicorn_process, manage_or_fail, production_env
from bench.services import postgres_server, redis_server
from tests.deploy.hold_booking.apps import HOLD_NAME
from tests.deploy.test_services import require
from tests.html import parse_html

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs in the PostgreSQL run of the suite (DATABASE_URL=postgres://...)",
)

SLUG = "rowan"
BOOK = f"/specialists/{SLUG}/book/"
VISITORS = 40
TAKEN = "this time was just taken"

# Run inside the site (manage.py shell, one Python start-up for all of it):
# the migrations, a specialist bookable on weekdays 09:00-17:00 Berlin time, a
# member with a verified address (as the demo logins have), and the
# specialist's first free slots.
SETUP = """
import json
from django.core.management import call_command
from consultations.services import free_slots
call_command("migrate", verbosity=0)
from tests.factories import make_bookable_specialist, make_verified_user
specialist = make_bookable_specialist(slug={slug!r})
make_verified_user(email={email!r}, password={password!r})
print(json.dumps([start.isoformat() for start in free_slots(specialist)[:2]]))
"""


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def hidden(self, name):
        """The value of the form's hidden input `name`."""
        found = parse_html(self.text).find_all("input", name=name)
        assert found, f"no input {name!r} on the page"
        return found[0].attrs["value"]


class Visitor:
    """One browser: its own cookies, sent to whichever server it talks to.

    The site's cookies are Secure (__Host-), and the servers here speak plain
    HTTP on loopback, where a real browser would keep them to itself: this
    one sends them anyway, as a browser does to the HTTPS proxy in front.
    """

    def __init__(self, cluster, address):
        self.cluster = cluster
        self.address = address
        self.cookies = {}

    def request(self, server, method, path, form=None):
        url = urlsplit(server.url)
        headers = {"X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=40)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            page = Page(response.status, response.headers, response.read().decode())
        finally:
            connection.close()
        for header in page.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
                    self.cluster.personal.add(morsel.value)
        return page

    def get(self, server, path):
        return self.request(server, "GET", path)

    def post(self, server, path, form):
        form = {"csrfmiddlewaretoken": self.csrf_token, **form}
        return self.request(server, "POST", path, form)

    @property
    def csrf_token(self):
        return self.cookies["__Host-csrftoken"]

    def booking_form(self, server, start, *, name, email):
        """Opens the booking form for `start` on `server`; returns what the
        form would post for this visitor."""
        page = self.get(server, f"{BOOK}?slot={quote(start)}&tz=Europe/Berlin")
        assert page.status == 200, page.text
        token = page.hidden("token")
        self.cluster.personal.update({name, email, token})
        return {
            "slot": start,
            "token": token,
            "tz": "Europe/Berlin",
            "name": name,
            "email": email,
            "preferred_format": "video",
            "consent": "on",
            "website": "",
        }


@dataclass
class Cluster:
    directory: Path
    database_url: str
    redis_url: str
    servers: list
    slots: list
    member_email: str
    member_password: str
    # Every name, address, token and cookie the tests used: none of it may
    # appear in the servers' logs (the last test reads them).
    personal: set = field(default_factory=set)
    visitors: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def visitor(self):
        """A new visitor, from an address no other visitor has."""
        n = next(self.visitors)
        return Visitor(self, f"10.0.{n // 250}.{n % 250 + 1}")

    def sql(self, query, *params):
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(query, params).fetchall()

    def sent_to(self, email):
        """How many emails the servers sent to `email` (the file backend
        writes one file per message)."""
        to = re.compile(rf"^To: .*<{re.escape(email)}>$", re.MULTILINE)
        folder = self.directory / "sent-emails"
        return sum(bool(to.search(path.read_text())) for path in folder.glob("*"))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    require("postgresql", "redis-server")
    directory = tmp_path_factory.mktemp("two-app-servers")
    member_email, member_password = "member@example.org", os.urandom(12).hex()
    with contextlib.ExitStack() as stack:
        meanwhile = stack.enter_context(ThreadPoolExecutor(2))
        # The static files (the pages' manifest) are collected meanwhile: that
        # needs the settings, not the database.
        collecting = meanwhile.submit(
            manage_or_fail, production_env(directory), "collectstatic", "--no-input"
        )
        database_url = stack.enter_context(postgres_server())
        redis_url = stack.enter_context(redis_server())
        env = production_env(
            directory,
            database_url=database_url,
            REDIS_URL=redis_url,
            DJANGO_SETTINGS_MODULE="tests.deploy.cluster_settings",
            EMAIL_FILE_PATH=str(directory / "sent-emails"),
            HOLD_BOOKING_PIDFILE=str(directory / "held.pid"),
            # One proxy in front, on this machine: the rate limits count the
            # client it names in X-Forwarded-For.
            TRUSTED_PROXIES="127.0.0.1",
        )
        setup = SETUP.format(slug=SLUG, email=member_email, password=member_password)
        output = manage_or_fail(env, "shell", "--no-imports", "-c", setup).stdout
        slots = json.loads(output.splitlines()[-1])
        collecting.result()
        site = Site(directory, env)
        # Both start at once: on a busy machine a worker takes seconds to boot.
        servers = list(
            meanwhile.map(
                lambda _: stack.enter_context(gunicorn_process(site, workers=3)),
                range(2),
            )
        )
        try:
            yield Cluster(
                directory=directory,
                database_url=database_url,
                redis_url=redis_url,
                servers=servers,
                slots=slots,
                member_email=member_email,
                member_password=member_password,
                personal={member_email, member_password},
            )
        finally:
            # Nothing is in flight: a quick shutdown (SIGQUIT), both at once,
            # instead of a graceful one that waits out --graceful-timeout for
            # each server in turn.
            for server in servers:
                os.kill(server.pid, signal.SIGQUIT)


def bookings_at(cluster, start):
    return cluster.sql(
        "SELECT id, email FROM consultations_booking WHERE start = %s::timestamptz",
        start,
    )


def outbox_about(cluster, booking_id):
    """The recipients of each queued message about the booking."""
    rows = cluster.sql(
        'SELECT "to" FROM outbox_outboxmessage WHERE about = %s',
        f"consultations.booking:{booking_id}",
    )
    return sorted(addresses for (addresses,) in rows)


def queued_to(cluster, email):
    """How many queued messages (sent or not) go to `email`."""
    rows = cluster.sql(
        "SELECT count(*) FROM outbox_outboxmessage"
        ' WHERE position(%s in "to"::text) > 0',
        f"<{email}>",
    )
    return rows[0][0]


def test_forty_visitors_racing_for_one_slot_on_two_servers_get_one_booking(cluster):
    start = cluster.slots[0]
    visitors = [cluster.visitor() for _ in range(VISITORS)]
    forms = [None] * VISITORS
    pages = [None] * VISITORS
    errors = []
    together = threading.Barrier(VISITORS, timeout=60)

    def visit(n):
        try:
            # Half open the form on one server and send it to the other, as
            # a proxy without sticky sessions would have it.
            opened_on = cluster.servers[n % 2]
            sent_to = cluster.servers[n // 2 % 2]
            forms[n] = visitors[n].booking_form(
                opened_on, start, name=f"Visitor {n}", email=f"visitor{n}@example.org"
            )
            together.wait()
            pages[n] = visitors[n].post(sent_to, BOOK, forms[n])
        except Exception as error:  # reported below, with the others
            errors.append(error)
            together.abort()

    threads = [threading.Thread(target=visit, args=(n,)) for n in range(VISITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors

    statuses = sorted(page.status for page in pages)
    assert statuses == [302] + [409] * (VISITORS - 1)
    for page in pages:
        if page.status == 409:
            assert TAKEN in page.text
    [winner] = [n for n, page in enumerate(pages) if page.status == 302]
    assert pages[winner].headers["Location"] == "/consultations/booked/"

    [(booking_id, email)] = bookings_at(cluster, start)
    assert email == f"visitor{winner}@example.org"
    # One confirmation to the visitor, one notice to the specialist, both sent.
    messages = outbox_about(cluster, booking_id)
    assert len(messages) == 2
    assert [to for [to] in messages if email in to] == [f"Visitor {winner} <{email}>"]
    for n in range(VISITORS):
        expected = 1 if n == winner else 0
        assert queued_to(cluster, f"visitor{n}@example.org") == expected
        assert cluster.sent_to(f"visitor{n}@example.org") == expected

    # The winner's booked page holds its private link, which opens on either
    # server. A form sent to it without its CSRF token is refused, and that
    # refusal is logged: with the link redacted (see the last test).
    a, b = cluster.servers
    booked = visitors[winner].get(b, "/consultations/booked/")
    assert booked.status == 200
    token = re.search(r"/consultations/manage/([\w-]+)/", booked.text).group(1)
    cluster.personal.add(token)
    assert visitors[winner].get(a, f"/consultations/manage/{token}/").status == 200
    cancel = f"/consultations/manage/{token}/cancel/"
    assert visitors[winner].request(b, "POST", cancel, {}).status == 403


def test_booking_attempts_are_counted_across_both_servers(cluster):
    """The per-email limit (5 an hour) lives in Redis: three attempts on one
    server and two on the other use it up, for both."""
    a, b = cluster.servers
    # Off the half-hour grid: never offered, so every attempt is refused
    # (and counted) without booking anything.
    start = (
        datetime.fromisoformat(cluster.slots[0]) + timedelta(minutes=1)
    ).isoformat()
    email = "limited@example.org"

    def attempt(server):
        visitor = cluster.visitor()
        form = visitor.booking_form(server, start, name="Limited", email=email)
        return visitor.post(server, BOOK, form)

    for server in (a, a, a, b, b):
        page = attempt(server)
        assert page.status == 409 and TAKEN in page.text
    for server in (b, a):
        page = attempt(server)
        assert page.status == 429
        assert "Too many booking attempts" in page.text
        assert 0 < int(page.headers["Retry-After"]) <= 3600

    counters = redis.Redis.from_url(cluster.redis_url).keys("*ratelimit:book-email:*")
    assert len(counters) >= 5
    assert queued_to(cluster, email) == 0


def test_a_session_made_on_one_server_works_on_the_other(cluster):
    a, b = cluster.servers
    member = cluster.visitor()
    member.get(a, "/accounts/login/")
    logged_in = member.post(
        a,
        "/accounts/login/",
        {"login": cluster.member_email, "password": cluster.member_password},
    )
    assert logged_in.status == 302
    assert "__Host-sessionid" in member.cookies

    page = member.get(b, "/account/data/")
    assert page.status == 200
    assert cluster.member_email in page.text

    stranger = cluster.visitor()
    assert stranger.get(b, "/account/data/").status == 302

    # Logging out on B ends the session on A too.
    assert member.post(b, "/accounts/logout/", {}).status == 302
    member.cookies.pop("__Host-sessionid", None)
    assert member.get(a, "/account/data/").status == 302


def parent_of(pid):
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rpartition(")")[2].split()[1])


def wait_for_pid(path, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = path.read_text() if path.exists() else ""
        if text.isdigit():
            return int(text)
        time.sleep(0.05)
    raise AssertionError("no worker held the booking")


def test_a_worker_killed_mid_booking_leaves_nothing_and_the_form_books_once(
    cluster,
):
    a, b = cluster.servers
    start = cluster.slots[1]
    email = "held@example.org"
    visitor = cluster.visitor()
    form = visitor.booking_form(a, start, name=HOLD_NAME, email=email)
    outcome = {}

    def send():
        try:
            outcome["page"] = visitor.post(a, BOOK, form)
        except (http.client.HTTPException, OSError) as error:
            outcome["error"] = error

    sending = threading.Thread(target=send)
    sending.start()
    worker = wait_for_pid(cluster.directory / "held.pid")
    # The worker holding the request is one of server A's own workers.
    assert parent_of(worker) == a.pid
    os.kill(worker, signal.SIGKILL)
    sending.join(30)
    assert "page" not in outcome and "error" in outcome

    # PostgreSQL ends the dead worker's transaction when its connection drops.
    deadline = time.monotonic() + 10
    while cluster.sql(
        "SELECT pid FROM pg_stat_activity WHERE state IN "
        "('idle in transaction', 'idle in transaction (aborted)')"
    ):
        assert time.monotonic() < deadline, "the transaction is still open"
        time.sleep(0.05)

    assert bookings_at(cluster, start) == []
    assert (
        cluster.sql(
            "SELECT 1 FROM consultations_booking WHERE form_token = %s", form["token"]
        )
        == []
    )
    assert queued_to(cluster, email) == 0
    assert cluster.sent_to(email) == 0
    assert cluster.sql(
        "SELECT 1 FROM specialists_freeslot WHERE start = %s::timestamptz", start
    )

    # The same form, sent again (A has a new worker), books once; a double
    # click on B returns the same booking.
    again = visitor.post(a, BOOK, form)
    assert again.status == 302, again.text
    assert visitor.post(b, BOOK, form).status == 302
    [(booking_id, booked_email)] = bookings_at(cluster, start)
    assert booked_email == email
    assert len(outbox_about(cluster, booking_id)) == 2
    assert queued_to(cluster, email) == 1
    assert cluster.sent_to(email) == 1
    assert "was sent SIGKILL" in a.log_path.read_text()


def test_the_servers_logs_hold_no_personal_data(cluster):
    """Whatever the tests above did, no address, name, token or cookie of
    theirs reached a server's log; and no request raised."""
    for server in cluster.servers:
        log = server.log_path.read_text()
        assert "Traceback" not in log
        assert "@example." not in log
        leaked = sorted(value for value in cluster.personal if value in log)
        assert leaked == []
