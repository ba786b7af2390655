"""The anonymous article page against a static file of the same size.

Both are served by the same production-mode gunicorn + whitenoise (DEBUG off),
from a site prepared in a temporary directory, so the difference between the two
is what Django spends on the page. Targets: the page serves at least 0.9 times
the static file's requests per second, with a p99 latency at most 1.5 times its
p99. The result is printed, never enforced: the exit status is 0 either way.

Environment:
  BENCH_SECONDS       seconds of load per target (default 15; 3 for a smoke run)
  BENCH_WARMUP        seconds of load per target before measuring (default 1)
  BENCH_WORKERS       gunicorn sync workers (default 3)
  BENCH_CONNECTIONS   concurrent connections (default 32)
  BENCH_THREADS       wrk threads / load-generator processes (default: CPUs, max 4)
  BENCH_TOOL          "wrk" or "python" (default: wrk if /usr/bin/wrk exists)
  BENCH_DATABASE_URL  run the site on this (throwaway!) database instead of SQLite

Run with `make bench`, or `.venv/bin/python bench/article_vs_static.py`.
"""

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import loadgen  # noqa: E402
from bench.prodsite import (  # noqa: E402
    ARTICLE_PATH,
    ARTICLE_TITLE,
    fetch,
    gunicorn_server,
    prepare_site,
)

WRK = "/usr/bin/wrk"
# The canonical URL in the page is built from the Host header: a fixed host
# keeps the page's size independent of the port gunicorn listens on.
HOST = "localhost"
STATIC_COPY = "bench/article-size.html"
RPS_TARGET = 0.9
P99_TARGET = 1.5


@dataclass
class Measurement:
    rps: float
    p50: float  # seconds
    p99: float  # seconds
    requests: int
    errors: int


def env_number(name, default, kind=float):
    raw = os.environ.get(name, "").strip()
    return kind(raw) if raw else default


def run_wrk(url, *, connections, seconds, threads):
    command = [
        WRK,
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        "--latency",
        f"--header=Host: {HOST}",
        url,
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    return parse_wrk(output)


TIME_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_wrk(output):
    """Figures from `wrk --latency` output."""

    def latency(percent):
        found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
        if not found:
            raise ValueError(f"no {percent}% latency in wrk output:\n{output}")
        return float(found[1]) * TIME_UNITS[found[2]]

    requests = re.search(r"^\s*(\d+) requests in ", output, re.M)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if not (requests and rps):
        raise ValueError(f"unexpected wrk output:\n{output}")
    errors = 0
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(count) for count in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx[1])
    return Measurement(
        rps=float(rps[1]),
        p50=latency(50),
        p99=latency(99),
        requests=int(requests[1]),
        errors=errors,
    )


def run_python(url, *, connections, seconds, threads):
    result = loadgen.run(
        url, connections=connections, seconds=seconds, processes=threads, host=HOST
    )
    return Measurement(
        rps=result.rps,
        p50=result.percentile(50),
        p99=result.percentile(99),
        requests=result.requests,
        errors=result.errors,
    )


def write_static_copy(site, article_html):
    """The article's own HTML as a static file: the same bytes, served by
    whitenoise. Written before gunicorn starts, as whitenoise indexes
    STATIC_ROOT once, at startup."""
    path = site.static_root / STATIC_COPY
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(article_html)
    return "/static/" + STATIC_COPY


def check_response(base_url, path, size):
    response = fetch(base_url, path, {"Host": HOST})
    if response.status != 200 or len(response.body) != size:
        sys.exit(f"{path}: status {response.status}, {len(response.body)} bytes")
    if response.headers.get("Content-Encoding"):
        sys.exit(f"{path}: compressed although the request did not ask for it")


def main():
    seconds = env_number("BENCH_SECONDS", 15.0)
    warmup = env_number("BENCH_WARMUP", 1.0)
    workers = env_number("BENCH_WORKERS", 3, int)
    connections = env_number("BENCH_CONNECTIONS", 32, int)
    threads = env_number("BENCH_THREADS", max(1, min(4, os.cpu_count() or 1)), int)
    tool = os.environ.get("BENCH_TOOL") or (
        "wrk" if os.access(WRK, os.X_OK) else "python"
    )
    if tool not in ("wrk", "python"):
        sys.exit(f"BENCH_TOOL must be 'wrk' or 'python', got {tool!r}")
    drive = run_wrk if tool == "wrk" else run_python

    with tempfile.TemporaryDirectory(prefix="bench-prodsite-") as directory:
        print("Preparing a production-mode site (DEBUG off) ...", flush=True)
        site = prepare_site(
            directory, database_url=os.environ.get("BENCH_DATABASE_URL")
        )
        with gunicorn_server(site, workers=1) as base_url:
            article = fetch(base_url, ARTICLE_PATH, {"Host": HOST})
        if article.status != 200 or ARTICLE_TITLE.encode() not in article.body:
            sys.exit(f"The article page answered {article.status}, not the article.")
        size = len(article.body)
        static_path = write_static_copy(site, article.body)
        targets = {"article": ARTICLE_PATH, "static": static_path}

        results = {}
        with gunicorn_server(site, workers=workers) as base_url:
            for path in targets.values():
                check_response(base_url, path, size)
            for name, path in targets.items():
                print(f"Loading {name} ({path}) for {seconds:g} s ...", flush=True)
                options = {"connections": connections, "threads": threads}
                if warmup > 0:
                    drive(base_url + path, seconds=warmup, **options)
                results[name] = drive(base_url + path, seconds=seconds, **options)

    settings = {"workers": workers, "connections": connections, "threads": threads}
    print_report(results, size=size, seconds=seconds, tool=tool, **settings)


def print_report(results, *, size, seconds, workers, connections, threads, tool):
    article, static = results["article"], results["static"]
    tool_name = "wrk" if tool == "wrk" else "Python load generator (bench/loadgen.py)"
    print()
    print(
        f"gunicorn {workers} sync workers, {connections} connections, "
        f"{seconds:g} s per target, {tool_name} with {threads} threads, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"Both responses: {size} bytes of HTML, uncompressed, Host: {HOST}")
    print()
    print(f"{'':16}{'article':>12}{'static':>12}")
    print(f"{'requests/s':16}{article.rps:12.1f}{static.rps:12.1f}")
    print(f"{'p50 (ms)':16}{article.p50 * 1000:12.2f}{static.p50 * 1000:12.2f}")
    print(f"{'p99 (ms)':16}{article.p99 * 1000:12.2f}{static.p99 * 1000:12.2f}")
    print(f"{'requests':16}{article.requests:12d}{static.requests:12d}")
    print(f"{'errors':16}{article.errors:12d}{static.errors:12d}")
    print()
    rps_ratio = article.rps / static.rps if static.rps else float("nan")
    p99_ratio = article.p99 / static.p99 if static.p99 else float("nan")
    print(f"{'ratio':30}{'value':>8}{'target':>10}")
    print(
        f"{'article rps / static rps':30}{rps_ratio:8.2f}{'>= ' + str(RPS_TARGET):>10}"
        f"  {'met' if rps_ratio >= RPS_TARGET else 'missed'}"
    )
    print(
        f"{'article p99 / static p99':30}{p99_ratio:8.2f}{'<= ' + str(P99_TARGET):>10}"
        f"  {'met' if p99_ratio <= P99_TARGET else 'missed'}"
    )
    if article.errors or static.errors:
        print("\nSome requests failed (see 'errors'): the figures are suspect.")


if __name__ == "__main__":
    main()
