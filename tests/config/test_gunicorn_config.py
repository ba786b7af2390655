"""gunicorn as production runs it, `gunicorn -c config/gunicorn.py config.wsgi`,
with production settings: its values from the environment, one-line logs on
stdout, an access log without query strings or secrets, and /healthz over
plain HTTP while every page redirects to HTTPS.

The servers run on the production-mode site of this package (conftest.py).
"""

import json
import os
import re
import subprocess
import sys
import time

import pytest

from bench.prodsite import (
    PROJECT_ROOT,
    Site,
    clean_env,
    fetch,
    gunicorn_server,
    server_log,
)

CONFIG = "config/gunicorn.py"
TOKEN = "Zt3q_secret-token"
# Every line: time (UTC), level, logger, message.
ONE_LINE = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+ \S"
)

PRINT_CONFIG = """
import json, runpy
values = runpy.run_path("config/gunicorn.py")
names = ["bind", "workers", "timeout", "graceful_timeout", "max_requests",
         "max_requests_jitter", "accesslog"]
print(json.dumps({name: values[name] for name in names}))
"""


def gunicorn_settings(**variables):
    result = subprocess.run(
        [sys.executable, "-c", PRINT_CONFIG],
        cwd=PROJECT_ROOT,
        env=clean_env(**variables),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_gunicorn_config_defaults_to_the_cores_this_process_may_use():
    cores = len(os.sched_getaffinity(0))

    assert json.loads(gunicorn_settings()) == {
        "bind": ["127.0.0.1:8000"],
        "workers": 2 * cores + 1,
        "timeout": 30,
        "graceful_timeout": 30,
        "max_requests": 1000,
        "max_requests_jitter": 100,
        "accesslog": "-",
    }


def test_gunicorn_config_takes_its_values_from_the_environment():
    settings = gunicorn_settings(
        GUNICORN_BIND="127.0.0.1:9000,unix:/run/site/gunicorn.sock",
        WEB_CONCURRENCY="7",
        GUNICORN_TIMEOUT="20",
        GUNICORN_GRACEFUL_TIMEOUT="15",
        GUNICORN_MAX_REQUESTS="500",
    )

    assert json.loads(settings) == {
        "bind": ["127.0.0.1:9000", "unix:/run/site/gunicorn.sock"],
        "workers": 7,
        "timeout": 20,
        "graceful_timeout": 15,
        "max_requests": 500,
        "max_requests_jitter": 50,
        "accesslog": "-",
    }


def production_site(site, **variables):
    """The package's site with the production defaults: HTTPS redirect on."""
    env = {**site.env, **variables}
    env.pop("DJANGO_SECURE_SSL_REDIRECT")
    return Site(site.directory, env)


@pytest.fixture(scope="module")
def production(site):
    return production_site(site, LOG_LEVEL="INFO")


@pytest.fixture(scope="module")
def server(production):
    with gunicorn_server(production, workers=2, config_file=CONFIG) as base_url:
        yield base_url


def wait_for_log(site, base_url, text, timeout=10):
    """The server's log once it holds `text` (a worker writes its access line
    after the response has gone out)."""
    deadline = time.monotonic() + timeout
    while text not in (log := server_log(site, base_url)):
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} not in the log:\n{log}")
        time.sleep(0.05)
    return log


def test_gunicorn_starts_the_workers_the_environment_asks_for(production, server):
    log = wait_for_log(production, server, "Booting worker")

    assert log.count("Booting worker with pid") == 2


def test_healthz_answers_over_plain_http_while_pages_redirect_to_https(server):
    page = fetch(server, "/privacy/")
    health = fetch(server, "/healthz")

    assert page.status == 301
    assert page.headers["Location"].startswith("https://127.0.0.1:")
    assert (health.status, health.body) == (200, b"ok\n")
    assert health.headers.get_all("Set-Cookie") is None
    assert "no-store" in health.headers["Cache-Control"]


def test_access_log_has_no_query_string_no_secret_and_one_line_per_event(
    production, server
):
    https = {"X-Forwarded-Proto": "https"}  # gunicorn trusts it from loopback
    fetch(server, "/privacy/?email=sam%40example.org&next=/private/", https)
    fetch(server, f"/consultations/manage/{TOKEN}/?from=email", https)

    log = wait_for_log(production, server, '"GET /consultations/manage/')

    access = [
        # Method, path, status, bytes and milliseconds.
        re.sub(r" \d+ \d+ms$", " <bytes> <ms>", line.split(" gunicorn.access ")[1])
        for line in log.splitlines()
        if " INFO gunicorn.access " in line and "/healthz" not in line
    ]
    assert access[-2:] == [
        '"GET /privacy/" 200 <bytes> <ms>',
        '"GET /consultations/manage/[redacted]/" 404 <bytes> <ms>',
    ]
    # Django's own record of the 404, from the worker: redacted, one line.
    assert "WARNING django.request Not Found: /consultations/manage/[redacted]/" in log
    for secret in (TOKEN, "sam", "email=", "from=", "/private/"):
        assert secret not in log
    assert all(ONE_LINE.match(line) for line in log.splitlines()), log


def test_healthz_is_503_when_the_database_cannot_be_opened(site, tmp_path):
    broken = production_site(
        site, LOG_LEVEL="INFO", SQLITE_PATH=str(tmp_path / "missing" / "db.sqlite3")
    )
    with gunicorn_server(broken, workers=1, config_file=CONFIG) as base_url:
        health = fetch(base_url, "/healthz")
        log = wait_for_log(broken, base_url, '"GET /healthz" 503')

    assert (health.status, health.body) == (503, b"unavailable\n")
    assert "no-store" in health.headers["Cache-Control"]
    # The database cache lives in the same database: both are reported.
    assert (
        "ERROR config.health Health check: the database does not answer: "
        "OperationalError: unable to open database file" in log
    )
    assert "ERROR config.health Health check: the cache does not answer: " in log
