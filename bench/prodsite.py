"""A production-mode copy of the site in a temporary directory, served by gunicorn.

Shared by the benchmark (bench/article_vs_static.py) and the production tests
(tests/config/test_production.py). Every child process gets an environment built
from scratch, so whatever the caller exports (the Makefile's DJANGO_DEBUG=true, a
developer's DATABASE_URL or REDIS_URL) never leaks into the "production" site.

Database: the prepared site always uses a SQLite file inside the temporary
directory, even when the caller's environment has DATABASE_URL. That variable
points at the caller's own database (in CI the cluster's `postgres` database,
whose test copy pytest-django creates next to it); running migrate and
load_content against it from here would write into a database that the test
run neither created nor cleans up, and two concurrent runs would share it. The
production-mode checks here are about settings, gunicorn and whitenoise, which
behave the same on either database; the PostgreSQL run of the test suite covers
the database layer. To benchmark on PostgreSQL anyway, pass a throwaway
database explicitly: prepare_site(..., database_url=...) (the benchmark reads
BENCH_DATABASE_URL for that).
"""

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ARTICLE_PATH = "/articles/complex-roots-of-harassment/"
ARTICLE_TITLE = "The Complex Roots of Harassment"

# The only variables a child process inherits from the caller: enough to run
# Python and find temporary space, nothing that configures the site.
INHERITED_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ")


def clean_env(**variables):
    """An environment with none of the site's settings, plus `variables`."""
    env = {name: os.environ[name] for name in INHERITED_VARIABLES if name in os.environ}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(variables)
    return env


def production_env(directory, *, database_url=None, **variables):
    """Settings as a production deployment sets them, with files in `directory`.

    Plain HTTP on loopback, so DJANGO_SECURE_SSL_REDIRECT is off (pass
    DJANGO_SECURE_SSL_REDIRECT=None to keep the production default, on).
    A variable passed as None is left out.
    """
    directory = Path(directory)
    env = clean_env(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),  # 67 characters
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(directory / "staticfiles"),
        MEDIA_ROOT=str(directory / "media"),
        DJANGO_SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["SQLITE_PATH"] = str(directory / "db.sqlite3")
    env.update(variables)
    return {name: value for name, value in env.items() if value is not None}


def manage(env, *args, timeout=120):
    """Runs `python manage.py ARGS` from the project root; returns the result."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def manage_or_fail(env, *args):
    result = manage(env, *args)
    if result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} exited with {result.returncode}:\n"
            f"{result.stdout}{result.stderr}"
        )
    return result


@dataclass
class Site:
    directory: Path
    env: dict

    @property
    def static_root(self):
        return Path(self.env["STATIC_ROOT"])

    def static_url(self, name):
        """The hashed URL collectstatic gave `name` ("css/site.css")."""
        manifest = json.loads((self.static_root / "staticfiles.json").read_text())
        return "/static/" + manifest["paths"][name]


def prepare_site(directory, *, database_url=None):
    """Database, cache table, seed article and collected static files."""
    site = Site(Path(directory), production_env(directory, database_url=database_url))
    manage_or_fail(site.env, "migrate", "--no-input")
    manage_or_fail(site.env, "createcachetable")
    manage_or_fail(site.env, "load_content")
    manage_or_fail(site.env, "collectstatic", "--no-input")
    return site


@dataclass
class Server:
    """A running gunicorn: its base URL, its master's pid (the workers are the
    master's children) and the file its output goes to."""

    url: str
    pid: int
    log_path: Path


@contextlib.contextmanager
def gunicorn_server(site, *, workers=3, startup_timeout=30, config_file=None):
    """Runs `gunicorn config.wsgi` on a free loopback port; yields its base URL.
    See gunicorn_process."""
    with gunicorn_process(
        site, workers=workers, startup_timeout=startup_timeout, config_file=config_file
    ) as server:
        yield server.url


@contextlib.contextmanager
def gunicorn_process(site, *, workers=3, startup_timeout=30, config_file=None):
    """Runs `gunicorn config.wsgi` on a free loopback port; yields a Server.

    The listening socket is bound here and handed to gunicorn (fd://), so
    there is no window in which another process could take the port. The
    server is stopped when the block ends, however it ends. Its output
    (error and access logs) is in server_log(site, base_url).

    With `config_file` ("config/gunicorn.py"), gunicorn runs as production
    runs it: `gunicorn -c config_file config.wsgi`, the socket and the number
    of workers given the way the file reads them, from the environment.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(2048)
    port = listener.getsockname()[1]
    log_path = _log_path(site, port)
    env = site.env
    # The default control socket ($HOME/.gunicorn/gunicorn.ctl) is one path
    # for every gunicorn of the user: two servers would fight over it.
    if config_file:
        command = [
            sys.executable, "-m", "gunicorn", "-c", str(config_file), "config.wsgi",
            "--no-control-socket",
        ]  # fmt: skip
        env = {
            **env,
            "GUNICORN_BIND": f"fd://{listener.fileno()}",
            "WEB_CONCURRENCY": str(workers),
        }
    else:
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--bind", f"fd://{listener.fileno()}",
            "--workers", str(workers),
            "--worker-class", "sync",
            "--graceful-timeout", "5",
            "--no-control-socket",
            "--error-logfile", "-",
        ]  # fmt: skip
    try:
        with open(log_path, "wb") as log:
            server = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(listener.fileno(),),
                # Its own process group, so stopping it reaches the workers too.
                start_new_session=True,
            )
    finally:
        listener.close()
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answers(server, base_url, log_path, startup_timeout)
        yield Server(base_url, server.pid, log_path)
    finally:
        stop(server)


def _log_path(site, port):
    return Path(site.directory) / f"gunicorn-{port}.log"


def server_log(site, base_url):
    """What the gunicorn_server at `base_url` has written so far."""
    return _log_path(site, urlsplit(base_url).port).read_text()


def _wait_until_answers(server, base_url, log_path, timeout):
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with {server.returncode}:\n{log_path.read_text()}"
            )
        try:
            fetch(base_url, "/robots.txt", timeout=2)
            return
        except (OSError, http.client.HTTPException):
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"gunicorn did not answer within {timeout} s:\n"
                    f"{log_path.read_text()}"
                ) from None
            time.sleep(0.1)


def stop(server, timeout=10):
    """SIGTERM (graceful shutdown: the master stops its workers), then SIGKILL
    to the whole process group if the master does not exit in time."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout)
            return
        except subprocess.TimeoutExpired:
            pass
    # The master hangs, or died on its own and may have left workers behind.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def fetch(base_url, path, headers=None, timeout=10):
    """One GET request on a fresh connection."""
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()
