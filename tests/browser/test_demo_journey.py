"""The booking journey on the demo data (`load_demo_data`, `load_content`), as
a visitor meets it on a fresh development site: home page, directory, a demo
specialist's free time, the confirmation with its calendar file and private
link, another time, then cancelling. On a phone and a wide screen, with and
without JavaScript; every page shown passes axe. Two visitors after the same
demo time: one books, the other keeps everything typed and books a near one.
Every demo specialist the home page calls free can really be booked.

The page fixtures fail any test whose pages log a console error, throw, break
the Content-Security-Policy or ask another host for anything (see conftest.py).
"""

import io
import re
from urllib.parse import urljoin

import pytest
from django.core.cache import cache
from django.core.management import call_command
from icalendar import Calendar
from playwright.sync_api import expect

from consultations import services
from consultations.models import Booking
from specialists.models import Specialist

from .test_accounts_journey import field
from .test_booking_journey import CONSENT, NAME_LABEL, VISITOR_ZONE, submit, when

PHONE = {"width": 375, "height": 740}
WIDE = {"width": 1280, "height": 800}
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["375px", "1280px"])
WITH_AND_WITHOUT_JS = pytest.mark.parametrize(
    "javascript", [True, False], ids=["with-js", "without-js"]
)
NOTE_LABEL = "Note for the specialist"
BOOK_LINK = re.compile(r"^Book a free consultation with ")
SLUG = re.compile(r"/specialists/([^/]+)/")


@pytest.fixture(autouse=True)
def demo_site(transactional_db, settings, tmp_path):
    """The demo specialists (photos in a temporary MEDIA_ROOT, served from
    there) and the shipped articles, loaded as `make demo` loads them."""
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    out = io.StringIO()
    # The test runner turns DEBUG off: --force is what a developer would
    # type on such a site.
    call_command("load_demo_data", "--force", stdout=out, stderr=io.StringIO())
    call_command("load_content", stdout=out)
    yield
    cache.clear()


def open_page(new_page, viewport, javascript):
    return new_page(
        viewport=viewport, java_script_enabled=javascript, timezone_id=VISITOR_ZONE
    )


def specialist_of(url):
    return Specialist.objects.get(slug=SLUG.search(url).group(1))


def choose_format(page):
    """The first format offered that needs no phone number."""
    page.locator("input[name=preferred_format]:not([value=phone])").first.check()


def calendar_event(page, href):
    """The one VEVENT of the .ics behind href, fetched with the page's cookies."""
    response = page.request.get(href)
    assert response.ok, (href, response.status)
    assert response.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.body()).walk("VEVENT")
    return event


def ics_href(page):
    link = page.get_by_role("link", name="Add to calendar (.ics)")
    return urljoin(page.url, link.get_attribute("href"))


@VIEWPORTS
@WITH_AND_WITHOUT_JS
def test_visitor_books_a_demo_specialist_moves_the_time_then_cancels(
    new_page, live_server, check_page, mailoutbox, viewport, javascript
):
    page = open_page(new_page, viewport, javascript)
    check = lambda: check_page(page, javascript, viewport)  # noqa: E731

    page.goto(f"{live_server.url}/")
    check()
    page.get_by_role("link", name="Find a specialist").first.click()
    expect(page).to_have_url(re.compile(r"/specialists/$"))
    check()

    book_link = page.get_by_role("link", name=BOOK_LINK).first
    specialist = specialist_of(book_link.get_attribute("href"))
    assert specialist.is_demo and specialist.offers_free_consultation
    book_link.click()
    expect(page).to_have_url(re.compile(rf"/specialists/{specialist.slug}/book/"))
    # With JavaScript the browser's zone is reported; without, the times
    # stay in the specialist's zone, named.
    zone = VISITOR_ZONE if javascript else specialist.time_zone
    free = services.free_slots(specialist)
    date, time = when(free[0], zone)
    expect(page.locator(".slot").first).to_have_text(time)
    check()

    page.locator(".slot").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    check()
    field(page, NAME_LABEL).fill("Alex")
    field(page, "Email").fill("alex@example.org")
    choose_format(page)
    page.get_by_role("checkbox", name=CONSENT).check()
    submit(page).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your consultation is booked"
    )
    booking = Booking.objects.get(email="alex@example.org")
    assert (booking.specialist, booking.start, booking.visitor_time_zone) == (
        specialist,
        free[0],
        zone,
    )
    facts = page.locator(".booking-facts dd")
    # When, with the zone named ("New York time, UTC-05:00"); how.
    expect(facts.first).to_have_text(re.compile(rf"^{date} at {time}, \S.* time, UTC"))
    expect(facts.nth(1)).to_have_text(booking.get_preferred_format_display())
    expect(page.locator(".meeting-details")).to_have_text(
        booking.meeting_details().for_visitor
    )
    private_link = page.locator(".private-link a")
    manage_link = private_link.get_attribute("href")
    assert re.fullmatch(r"https?://\S+/consultations/manage/[^/\s]+/", manage_link)
    expect(private_link).to_have_text(manage_link)
    event = calendar_event(page, ics_href(page))
    uid, sequence = str(event["UID"]), int(event.get("SEQUENCE", 0))
    assert uid
    assert event.decoded("DTSTART") == free[0]
    check()

    page.goto(manage_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your consultation")
    expect(page.locator(".chosen-slot")).to_contain_text(f"{date} at {time}")
    check()

    page.get_by_role("link", name="Choose another time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose another time")
    check()
    moved_to = free[1]
    new_date, new_time = when(moved_to, zone)
    day = page.locator(
        ".slot-day",
        has=page.get_by_role("heading", name=new_date.rsplit(" ", 1)[0], exact=True),
    )
    day.get_by_role("button", name=new_time, exact=True).click()

    expect(page.locator(".messages")).to_contain_text("has been moved")
    expect(page.locator(".chosen-slot")).to_contain_text(f"{new_date} at {new_time}")
    check()
    booking.refresh_from_db()
    assert booking.start == moved_to
    moved = calendar_event(page, ics_href(page))
    assert str(moved["UID"]) == uid
    assert int(moved["SEQUENCE"]) > sequence
    assert moved.decoded("DTSTART") == moved_to

    page.get_by_role("button", name="Cancel the consultation").click()
    expect(page).to_have_url(manage_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This consultation was cancelled"
    )
    main = page.get_by_role("main")
    for private in (specialist.display_name, new_time, time, "Alex"):
        expect(main).not_to_contain_text(private)
    check()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED

    page.get_by_role("link", name="Book a free consultation").first.click()
    expect(page).to_have_url(f"{live_server.url}/consultations/free/")


def type_details(page, name, email, note):
    field(page, NAME_LABEL).fill(name)
    field(page, "Email").fill(email)
    choose_format(page)
    page.get_by_label(NOTE_LABEL).fill(note)
    page.get_by_role("checkbox", name=CONSENT).check()


@WITH_AND_WITHOUT_JS
def test_two_visitors_choose_the_same_demo_time_the_second_keeps_everything_typed(
    new_page, live_server, check_page, mailoutbox, javascript
):
    page = open_page(new_page, PHONE, javascript)
    page.goto(f"{live_server.url}/specialists/")
    href = page.get_by_role("link", name=BOOK_LINK).first.get_attribute("href")
    specialist = specialist_of(href)
    free = services.free_slots(specialist)
    wanted = free[0]
    other = open_page(new_page, PHONE, javascript)

    # Two browsers, one time: both choose the first and type their details.
    for visitor in (page, other):
        visitor.goto(f"{live_server.url}{href}")
        visitor.locator(".slot").first.click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Your details")
    type_details(page, "Alex", "alex@example.org", "Mornings suit me")
    type_details(other, "Robin", "robin@example.org", "Evenings are best")

    submit(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your consultation is booked"
    )
    assert Booking.objects.get(email="alex@example.org").start == wanted

    other.watch.expect_error_status(other.url.split("?")[0], 409)
    with other.expect_response(lambda r: r.request.method == "POST") as answer:
        submit(other).click()
    assert answer.value.status == 409
    summary = other.locator("[data-error-summary]")
    expect(summary).to_contain_text("this time was just taken")
    expect(field(other, NAME_LABEL)).to_have_value("Robin")
    expect(field(other, "Email")).to_have_value("robin@example.org")
    expect(other.get_by_label(NOTE_LABEL)).to_have_value("Evenings are best")
    nearest = other.get_by_role("group", name="The nearest free times")
    choices = nearest.get_by_role("radio")
    expect(choices.first).to_be_visible()
    assert choices.count() >= 1
    check_page(other, javascript, PHONE)

    choices.first.check()
    submit(other).click()
    expect(other.get_by_role("heading", level=1)).to_have_text(
        "Your consultation is booked"
    )
    booking = Booking.objects.get(email="robin@example.org")
    assert booking.start != wanted
    assert booking.start in free
    assert booking.note == "Evenings are best"


def test_every_demo_specialist_the_home_page_calls_free_can_be_booked(
    new_page, live_server
):
    page = new_page(timezone_id=VISITOR_ZONE)
    page.goto(f"{live_server.url}/")
    free_cards = page.locator(".mini-card", has=page.locator(".badge-free"))
    expect(free_cards.first).to_be_visible()
    profiles = [
        card.locator(".mini-name").get_attribute("href") for card in free_cards.all()
    ]
    assert profiles

    for profile in profiles:
        specialist = specialist_of(profile)
        assert specialist.is_demo
        page.goto(f"{live_server.url}/specialists/{specialist.slug}/book/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        slots = page.locator(".slot")
        expect(slots.first).to_be_visible()
        assert slots.count() >= 1, specialist.slug
