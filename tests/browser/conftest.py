"""Browser tests: Playwright drives /usr/bin/chromium against the live_server.

Every page a test opens is watched for its whole life: console errors, uncaught
page errors, Content-Security-Policy violations and any request to a host other
than the live server fail the test at teardown. Requests to other hosts never
leave the machine: they are aborted, or answered by a stand-in page for the one
test that means to go there (quick exit).
"""

import io
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from articles.models import Article

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# (fixtures, flush between tests) would otherwise refuse to run next to it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    }
}

# Runs in every document before the page's own scripts (CSP does not apply to it).
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  var violation = {
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile + ":" + event.lineNumber,
    sample: event.sample,
    document: event.documentURI,
  };
  window.__cspViolations.push(violation);
  if (window.__reportCspViolation) window.__reportCspViolation(violation);
});
"""

# How Chromium logs a page that answered with an HTTP error status.
FAILED_TO_LOAD = "Failed to load resource: the server responded with a status of"

STAND_IN_PAGE = (
    '<!doctype html><html lang="en"><title>Weather</title><p>Stand-in page</p></html>'
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _chromium_present():
    """Skip the browser tests without Chromium, or fail them under REQUIRE_BROWSER=1."""
    if os.access(CHROMIUM, os.X_OK):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"Chromium not found at {CHROMIUM} and REQUIRE_BROWSER=1: "
            "browser tests cannot run",
            pytrace=False,
        )
    pytest.skip(
        f"Chromium not found at {CHROMIUM}: browser tests skipped "
        "(REQUIRE_BROWSER=1 makes this a failure)"
    )


@pytest.fixture(scope="session")
def browser():
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
    except BaseException:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def seed_content(transactional_db):
    """The shipped essay, loaded as `make run` loads it, visible to live_server."""
    call_command("load_content", stdout=io.StringIO())
    return Article.objects.get(slug="complex-roots-of-harassment")


def is_network_url(url):
    return urlsplit(url).scheme in {"http", "https", "ws", "wss"}


def csp_violations(page):
    """The CSP violations recorded in the page's current document."""
    return page.evaluate("window.__cspViolations || []")


class PageWatch:
    """Everything a page did that a calm, self-contained site should never do."""

    def __init__(self, page, server_netloc):
        self.page = page
        self.server_netloc = server_netloc
        self.requests = []  # every network URL the page asked for, in order
        self.console_errors = []
        self.page_errors = []
        self.csp = []
        self.stand_in_hosts = set()
        self.error_statuses = set()  # (url, status) a test means to get
        page.on("request", lambda request: self._request(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.context.expose_binding(
            "__reportCspViolation", lambda source, violation: self.csp.append(violation)
        )
        # Nothing may reach another host: abort whatever tries.
        page.route(self.is_external, lambda route: route.abort())

    def is_external(self, url):
        return is_network_url(url) and urlsplit(url).netloc != self.server_netloc

    def _request(self, url):
        if is_network_url(url):
            self.requests.append(url)

    def _console(self, message):
        if message.type == "error" and not self._is_error_status(message):
            self.console_errors.append(f"{message.text} ({message.location})")

    def expect_error_status(self, url, status):
        """The page at url is meant to answer with this HTTP error status (a 403
        "verify your email first", say): Chromium's console error about it is
        not a problem. Any other status, or any other URL, still is."""
        self.error_statuses.add((url, status))

    def _is_error_status(self, message):
        return any(
            message.location.get("url") == url
            and message.text.startswith(f"{FAILED_TO_LOAD} {status} ")
            for url, status in self.error_statuses
        )

    def stand_in_for(self, url):
        """Answer requests to url's host with a tiny local page, and allow them."""
        host = urlsplit(url).netloc
        self.stand_in_hosts.add(host)
        self.page.route(
            lambda u: urlsplit(u).netloc == host,
            lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=STAND_IN_PAGE
            ),
        )

    @property
    def external_requests(self):
        return [
            url
            for url in self.requests
            if self.is_external(url) and urlsplit(url).netloc not in self.stand_in_hosts
        ]

    def problems(self):
        found = []
        if self.console_errors:
            found.append(f"console errors: {self.console_errors}")
        if self.page_errors:
            found.append(f"page errors: {self.page_errors}")
        if self.csp:
            found.append(f"CSP violations: {self.csp}")
        if self.external_requests:
            found.append(f"requests to other hosts: {self.external_requests}")
        return found


@pytest.fixture
def new_page(browser, live_server):
    """Open a watched page in a fresh context: new_page(**context_options)."""
    server_netloc = urlsplit(live_server.url).netloc
    opened = []

    def open_page(**context_options):
        context = browser.new_context(**context_options)
        context.set_default_timeout(5_000)
        context.add_init_script(CSP_RECORDER)
        page = context.new_page()
        page.watch = PageWatch(page, server_netloc)
        opened.append(page)
        return page

    yield open_page

    found = []
    for page in opened:
        try:
            # The binding saw every document's violations; this also reads the
            # last document's own list, in case the binding missed one.
            for violation in csp_violations(page):
                if violation not in page.watch.csp:
                    page.watch.csp.append(violation)
        except PlaywrightError as error:
            found.append(f"{page.url}: could not read CSP violations: {error}")
        finally:
            page.context.close()
        found += [f"{page.url}: {problem}" for problem in page.watch.problems()]
    assert not found, "\n".join(found)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def axe():
    """axe(page): run axe-core's WCAG 2.x A/AA rules and expect no violation."""
    engine = Axe()

    def check(page):
        # A click that navigates returns before the new page has loaded: axe
        # must see the page with its stylesheet, or every link is "too small".
        page.wait_for_load_state("load")
        results = engine.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
        return results

    return check


@pytest.fixture
def check_page(axe, new_page, live_server):
    """check_page(page, javascript, viewport=None): axe on the page as shown.
    Without JavaScript axe-core cannot run in the page (its timers never
    fire), so the page's HTML, as the browser has it, is checked in a second
    page of the same size, scripts on but the page's own removed."""
    snapshot_url = f"{live_server.url}/__no-js-snapshot__/"

    def check(page, javascript, viewport=None):
        if javascript:
            return axe(page)
        html = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S)
        snapshot = new_page(viewport=viewport or page.viewport_size)
        snapshot.route(
            snapshot_url,
            lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=html
            ),
        )
        snapshot.goto(snapshot_url)
        return axe(snapshot)

    return check


@pytest.fixture(autouse=True)
def _fresh_rate_limits(transactional_db):
    """Rate limits (ours and allauth's) count attempts in the database cache,
    which outlives the flush between tests: each test starts with none."""
    cache.clear()
    yield
    cache.clear()
