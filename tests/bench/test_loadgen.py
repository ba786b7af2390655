"""The Python load generator (used where wrk is missing) sends extra headers:
the logged-in pages need the session cookie."""

import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench import loadgen


def test_load_generator_sends_the_extra_headers_on_every_request():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.headers.get("Cookie"))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        # In a thread of its own: the browser tests' Playwright keeps an event
        # loop running in this one, where asyncio.run() refuses to start.
        with ThreadPoolExecutor(1) as pool:
            result = pool.submit(
                loadgen.run,
                f"http://127.0.0.1:{server.server_port}/page/",
                connections=1,
                seconds=0.5,
                headers=[("Cookie", "__Host-sessionid=abc")],
            ).result()
    finally:
        server.shutdown()
        server.server_close()

    assert result.requests > 0
    assert result.errors == 0
    assert seen and set(seen) == {"__Host-sessionid=abc"}
