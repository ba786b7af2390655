"""Throwaway PostgreSQL and Redis servers, from Debian's packages, for tests and
benchmarks that need several processes sharing them.

Each server runs on a free loopback port with its files in a temporary folder,
and is stopped and removed when its `with` block ends, however it ends. Nothing
touches the machine's own clusters or configuration.

    with postgres_server() as database_url, redis_server() as redis_url:
        ...

`missing()` says which programs are absent, so a test can skip (or fail, when
its caller requires them) with a line that says what to install.
"""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REDIS_SERVER = "/usr/bin/redis-server"


def postgres_bin():
    """The newest installed PostgreSQL's bin folder, or None."""
    folders = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda path: int(Path(path).parent.name),
    )
    return Path(folders[-1]) if folders else None


def missing(*names):
    """The Debian packages among "postgresql", "redis-server" that are not
    installed."""
    present = {
        "postgresql": postgres_bin() is not None,
        "redis-server": os.access(REDIS_SERVER, os.X_OK),
    }
    return [name for name in names if not present[name]]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, log_path, timeout=30):
    """Returns once something listens on the loopback `port`; raises, with the
    end of the server's log, if `process` exits or `timeout` passes first."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{_tail(log_path)}")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"server did not listen within {timeout} s:\n{_tail(log_path)}"
            )
        time.sleep(0.05)


def terminate(process, timeout=10):
    """SIGTERM, then SIGKILL if the process has not exited within `timeout`."""
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(path):
    try:
        return Path(path).read_text(errors="replace")[-4000:]
    except OSError:
        return ""


def _as_postgres(command):
    """PostgreSQL refuses to run as root: as root, run as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *map(str, command)]
    return [str(part) for part in command]


@contextlib.contextmanager
def postgres_server(*, fsync=False):
    """Starts a new PostgreSQL cluster; yields
    postgres://postgres@127.0.0.1:PORT/postgres (trust authentication, loopback
    only). fsync is off by default: the data is thrown away, and a benchmark of
    the site, not of the disk, should not wait on it."""
    pgbin = postgres_bin()
    if pgbin is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="pg-"))
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(folder, postgres.pw_uid, postgres.pw_gid)
    data, log = folder / "data", folder / "log"
    try:
        initdb = [pgbin / "initdb", "-D", data, "-A", "trust", "-U", "postgres"]
        subprocess.run(_as_postgres(initdb), check=True, capture_output=True)
        # The free port is only known free when it is asked for: another
        # process may take it before PostgreSQL binds it. Then try another.
        for attempt in range(5):
            port = free_port()
            options = (
                f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 "
                f"-c fsync={'on' if fsync else 'off'} -c max_connections=200"
            )
            start = [pgbin / "pg_ctl", "-D", data, "-l", log, "-w", "-o", options]
            result = subprocess.run(
                _as_postgres([*start, "start"]), capture_output=True, text=True
            )
            if result.returncode == 0:
                break
            if attempt == 4:
                raise RuntimeError(f"PostgreSQL did not start:\n{_tail(log)}")
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        # Also when interrupted while starting: pg_ctl may have started it.
        # Stopping a server that is not running only fails, harmlessly.
        if (data / "postmaster.pid").exists():
            stop = [pgbin / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]
            subprocess.run(_as_postgres(stop), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def redis_server():
    """Starts a Redis server with no persistence; yields redis://127.0.0.1:PORT/0."""
    if not os.access(REDIS_SERVER, os.X_OK):
        raise RuntimeError("Redis is not installed (apt-get install redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="redis-"))
    port = free_port()
    log = folder / "log"
    command = [
        REDIS_SERVER,
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--dir", str(folder),
        "--save", "",
        "--appendonly", "no",
        "--logfile", str(log),
    ]  # fmt: skip
    server = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=None
    )
    try:
        wait_for_port(port, server, log)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        terminate(server)
        shutil.rmtree(folder, ignore_errors=True)
