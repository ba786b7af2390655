"""A small HTTP/1.1 load generator, for machines without wrk.

Keeps `connections` connections busy with GET requests for `seconds`, spread
over a few processes (one asyncio loop each, so the client's own Python is less
often the bottleneck). Latency is measured as wrk measures it: from writing the
request to reading the last byte of the response, connecting excluded. Bounded
by time and by a total request count; only for loopback servers under test.
"""

import array
import asyncio
import math
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

REQUEST_TIMEOUT = 10  # seconds; a request that takes longer counts as an error
MAX_REQUESTS = 2_000_000


@dataclass
class Result:
    duration: float  # seconds
    requests: int = 0  # responses with a 2xx or 3xx status
    errors: int = 0  # other statuses, timeouts, broken connections
    latencies: array.array = field(default_factory=lambda: array.array("d"))

    @property
    def rps(self):
        return self.requests / self.duration if self.duration else 0.0

    def percentile(self, percent):
        """Latency in seconds below which `percent` % of the requests finished."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        rank = max(1, math.ceil(percent / 100 * len(ordered)))
        return ordered[rank - 1]


def run(
    url,
    *,
    connections,
    seconds,
    processes=1,
    host=None,
    headers=(),
    max_requests=MAX_REQUESTS,
):
    """GET `url` over `connections` connections for `seconds`; returns a Result.
    `headers` are extra (name, value) pairs, e.g. a session cookie."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    request = (
        f"GET {path} HTTP/1.1\r\n"
        f"Host: {host or parts.netloc}\r\n"
        "User-Agent: bench-loadgen\r\n"
        "Accept: */*\r\n"
        + "".join(f"{name}: {value}\r\n" for name, value in headers)
        + "\r\n"
    ).encode("ascii")
    processes = max(1, min(processes, connections))
    shares = [
        connections // processes + (i < connections % processes)
        for i in range(processes)
    ]
    jobs = [
        (
            parts.hostname,
            parts.port or 80,
            request,
            share,
            seconds,
            max_requests // processes,
        )
        for share in shares
    ]
    if processes == 1:
        parts_results = [_run_process(*jobs[0])]
    else:
        with ProcessPoolExecutor(processes) as pool:
            parts_results = list(pool.map(_run_process, *zip(*jobs, strict=True)))
    total = Result(duration=max(part.duration for part in parts_results))
    for part in parts_results:
        total.requests += part.requests
        total.errors += part.errors
        total.latencies.extend(part.latencies)
    return total


def _run_process(hostname, port, request, connections, seconds, max_requests):
    return asyncio.run(
        _drive(hostname, port, request, connections, seconds, max_requests)
    )


async def _drive(hostname, port, request, connections, seconds, max_requests):
    result = Result(duration=seconds)
    started = time.monotonic()
    deadline = started + seconds
    tasks = [
        asyncio.create_task(
            _connection(hostname, port, request, deadline, max_requests, result)
        )
        for _ in range(connections)
    ]
    # Requests still in flight at the deadline are cancelled and not counted.
    _, pending = await asyncio.wait(tasks, timeout=seconds)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    result.duration = time.monotonic() - started
    return result


async def _connection(hostname, port, request, deadline, max_requests, result):
    writer = None
    try:
        while time.monotonic() < deadline and result.requests < max_requests:
            try:
                if writer is None:
                    reader, writer = await asyncio.wait_for(
                        asyncio.open_connection(hostname, port), REQUEST_TIMEOUT
                    )
                start = time.perf_counter()
                writer.write(request)
                status, keep_alive = await asyncio.wait_for(
                    _read_response(reader), REQUEST_TIMEOUT
                )
                elapsed = time.perf_counter() - start
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
                result.errors += 1
                keep_alive = False
            else:
                if 200 <= status < 400:
                    result.requests += 1
                    result.latencies.append(elapsed)
                else:
                    result.errors += 1
            if not keep_alive and writer is not None:
                writer.close()
                writer = None
    finally:
        if writer is not None:
            writer.close()


async def _read_response(reader):
    """Reads one response; returns (status, whether the connection stays open)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
    version, status = status_line.split(" ", 2)[:2]
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    keep_alive = version == "HTTP/1.1" and headers.get("connection") != "close"
    if headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    else:
        await reader.read()  # until the server closes the connection
        keep_alive = False
    return int(status), keep_alive
