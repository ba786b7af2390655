"""Booking a free consultation in a real browser: a visitor in another time
zone than the specialist's books a time (with and without JavaScript), gets
the confirmation email with the private link and calendar file, and cancels;
every page of the way passes axe; a double click books once.

The page fixtures fail any test whose pages log a console error, throw, break
the Content-Security-Policy or ask another host for anything (see conftest.py).
"""

import re
import threading
import time
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from consultations import services, slots
from consultations.models import Booking
from core.timezones import describe
from tests.browser.test_accounts_journey import field, log_in
from tests.factories import make_bookable_specialist, make_verified_user

VISITOR_ZONE = "America/New_York"
NAME_LABEL = "Your name (a first name or an alias is enough)"
CONSENT = re.compile(r"^I have read the privacy notice")
MANAGE_LINK = re.compile(r"https?://\S+/consultations/manage/[^/\s]+/")
CANCELLED = "Your consultation has been cancelled. The specialist has been told"


@pytest.fixture
def specialist():
    return make_bookable_specialist(slug="rowan-example", display_name="Rowan Example")


def book_url(live_server, specialist):
    return f"{live_server.url}/specialists/{specialist.slug}/book/"


def slot_url(live_server, specialist, start, zone):
    return (
        f"{book_url(live_server, specialist)}?tz={quote(zone, safe='')}"
        f"&slot={quote(start.isoformat(), safe='')}"
    )


def when(moment, zone):
    """(date, time) as the pages write them: "Tuesday 24 March 2026", "14:00"."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%A} {local.day} {local:%B %Y}", f"{local:%H:%M}"


def offset_text(moment, zone):
    """ "UTC-04:00", as the emails give it."""
    offset = moment.astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def expect_zone(page, zone):
    expect(page.locator(".tz-note")).to_have_text(
        f"Times are shown in {describe(zone)}."
    )


def expect_first_slot(page, start, zone):
    """The picker's first time is `start`, shown in `zone`, under its local day."""
    date, time = when(start, zone)
    first_day = page.locator(".slot-day").first
    expect(first_day.get_by_role("heading", level=2)).to_have_text(
        date.rsplit(" ", 1)[0]
    )
    expect(first_day.locator(".slot").first).to_have_text(time)


def expect_details_page(page, specialist, start, zone):
    date, time = when(start, zone)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    expect(page.locator(".chosen-slot")).to_contain_text(
        f"Free 30-minute consultation with {specialist.display_name} "
        f"on {date} at {time} ({zone})."
    )


def fill_details(page, *, name, email, consent=True):
    field(page, NAME_LABEL).fill(name)
    field(page, "Email").fill(email)
    page.get_by_role("radio", name="Video").check()
    if consent:
        page.get_by_role("checkbox", name=CONSENT).check()


def submit(page):
    return page.get_by_role("button", name="Book the consultation")


def expect_booked_page(page, specialist, start, zone, email):
    date, time = when(start, zone)
    expect(page).to_have_url(re.compile(r"/consultations/booked/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your consultation is booked"
    )
    expect(page.locator(".chosen-slot")).to_have_text(
        f"With {specialist.display_name} on {date} at {time} ({zone}), for 30 minutes."
    )
    expect(page.get_by_role("main")).to_contain_text(email)


def sent_to(mailoutbox, email):
    return [m for m in mailoutbox if any(email in to for to in m.to)]


def test_visitor_in_new_york_books_and_sees_new_york_time_on_pages_and_in_email(
    new_page, live_server, mailoutbox, specialist
):
    first = services.free_slots(specialist)[0]
    page = new_page(timezone_id=VISITOR_ZONE)
    page.goto(f"{live_server.url}/specialists/{specialist.slug}/")
    page.get_by_role("link", name="Book a free consultation").click()

    # The profile page's script reported the browser's zone: the picker is
    # in it at once, not in the specialist's.
    expect(page).to_have_url(book_url(live_server, specialist))
    expect_zone(page, VISITOR_ZONE)
    expect_first_slot(page, first, VISITOR_ZONE)
    page.locator(".slot").first.click()

    expect_details_page(page, specialist, first, VISITOR_ZONE)
    fill_details(page, name="Alex", email="alex@example.org")
    submit(page).click()
    expect_booked_page(page, specialist, first, VISITOR_ZONE, "alex@example.org")

    booking = Booking.objects.get()
    assert (booking.start, booking.visitor_time_zone, booking.status) == (
        first,
        VISITOR_ZONE,
        Booking.Status.CONFIRMED,
    )

    # The email gives the time in New York time; the calendar file in UTC.
    [email] = sent_to(mailoutbox, "alex@example.org")
    local = booking.start.astimezone(ZoneInfo(VISITOR_ZONE))
    end = booking.end.astimezone(ZoneInfo(VISITOR_ZONE))
    assert email.subject == (
        f"Your appointment on {local:%A} {local.day} {local:%B} "
        f"at {local:%H:%M} ({VISITOR_ZONE})"
    )
    assert (
        f"When: {local:%A} {local.day} {local:%B %Y}, {local:%H:%M}–{end:%H:%M} "
        f"({VISITOR_ZONE}, {offset_text(booking.start, VISITOR_ZONE)})"
    ) in email.body
    [(filename, content, mimetype)] = email.attachments
    assert filename == "appointment.ics"
    assert mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert (
        event["DTSTART"].to_ical() == booking.start.strftime("%Y%m%dT%H%M%SZ").encode()
    )
    assert event.decoded("DTSTART") == booking.start

    # The private link shows the booking (cancelling it: the test below).
    [manage_link] = MANAGE_LINK.findall(email.body)
    page.goto(manage_link)
    date, time = when(first, VISITOR_ZONE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your consultation")
    expect(page.locator(".chosen-slot")).to_contain_text(
        f"on {date} at {time} ({VISITOR_ZONE})"
    )
    expect(page.get_by_role("main")).to_contain_text(specialist.display_name)


def pre_book(live_server, specialist, start, **details):
    """A booking made on the server side; returns (booking, manage link)."""
    details = {
        "name": "Sam",
        "email": "sam@example.org",
        "preferred_format": "video",
        "visitor_time_zone": VISITOR_ZONE,
        **details,
    }
    booking, token = services.book_consultation(
        specialist=specialist,
        start=start,
        form_token=f"pre-made-{start:%Y%m%d%H%M}",
        manage_url=lambda token: f"{live_server.url}/consultations/manage/{token}/",
        **details,
    )
    return booking, f"{live_server.url}/consultations/manage/{token}/"


def test_visitor_cancels_from_the_private_link_and_the_time_is_free_again(
    new_page, live_server, mailoutbox, specialist
):
    first = services.free_slots(specialist)[0]
    booking, manage_link = pre_book(live_server, specialist, first)
    page = new_page(timezone_id=VISITOR_ZONE)
    page.goto(manage_link)
    date, time = when(first, VISITOR_ZONE)
    expect(page.locator(".chosen-slot")).to_contain_text(
        f"on {date} at {time} ({VISITOR_ZONE})"
    )
    page.get_by_role("button", name="Cancel the consultation").click()

    expect(page).to_have_url(manage_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This consultation was cancelled"
    )
    expect(page.locator(".messages")).to_contain_text(CANCELLED)
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == (
        Booking.Status.CANCELLED,
        "visitor",
    )
    assert first in services.free_slots(specialist)
    # The specialist is told; the visitor gets a confirmation of their own
    # cancellation, with a calendar file that removes the event.
    told = [m for m in mailoutbox if m.subject.endswith(" cancelled")]
    assert sorted(m.to[0] for m in told) == sorted(
        [
            f"{specialist.display_name} <{specialist.user.email}>",
            "Sam <sam@example.org>",
        ]
    )


def test_visitor_picks_another_time_from_the_private_link(
    new_page, axe, live_server, mailoutbox, specialist
):
    free = services.free_slots(specialist)
    booking, manage_link = pre_book(live_server, specialist, free[0])
    page = new_page(timezone_id=VISITOR_ZONE)
    page.goto(manage_link)
    page.get_by_role("link", name="Choose another time").click()
    # The link carries the visitor's zone, so the page does not reload itself.
    expect(page).to_have_url(re.compile(r"/reschedule/\?tz=America(%2F|/)New_York$"))
    expect_zone(page, VISITOR_ZONE)
    axe(page)
    date, time = when(free[2], VISITOR_ZONE)
    page.get_by_role("button", name=time).first.click()

    expect(page.locator(".messages")).to_contain_text(
        "Your consultation has been moved"
    )
    expect(page.locator(".chosen-slot")).to_contain_text(f"at {time}")
    booking.refresh_from_db()
    assert booking.start == free[2]
    assert booking.sequence == 1
    moved = [
        m
        for m in mailoutbox
        if "moved" in m.subject.lower() or "changed" in m.subject.lower()
    ]
    assert moved


def test_visitor_without_javascript_chooses_their_zone_by_hand_and_books(
    new_page, live_server, mailoutbox, specialist
):
    first = services.free_slots(specialist)[0]
    page = new_page(java_script_enabled=False, timezone_id=VISITOR_ZONE)
    page.goto(f"{live_server.url}/specialists/{specialist.slug}/")
    page.get_by_role("link", name="Book a free consultation").click()

    # Nothing guesses the zone: the times are in the specialist's, named,
    # until the visitor chooses.
    expect(page).to_have_url(book_url(live_server, specialist))
    expect_zone(page, specialist.time_zone)
    expect_first_slot(page, first, specialist.time_zone)
    field(page, "Show times in").select_option(VISITOR_ZONE)
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(r"\?tz=America%2FNew_York$"))
    expect_zone(page, VISITOR_ZONE)
    expect_first_slot(page, first, VISITOR_ZONE)
    page.locator(".slot").first.click()

    expect_details_page(page, specialist, first, VISITOR_ZONE)
    fill_details(page, name="Robin", email="robin@example.org")
    submit(page).click()
    expect_booked_page(page, specialist, first, VISITOR_ZONE, "robin@example.org")

    booking = Booking.objects.get()
    assert (booking.start, booking.visitor_time_zone) == (first, VISITOR_ZONE)
    assert len(sent_to(mailoutbox, "robin@example.org")) == 1


def test_every_booking_page_passes_axe(
    new_page, live_server, mailoutbox, axe, specialist
):
    page = new_page(timezone_id=VISITOR_ZONE)
    page.goto(f"{live_server.url}/consultations/free/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Free initial consultation"
    )
    axe(page)

    page.goto(book_url(live_server, specialist))
    expect_zone(page, VISITOR_ZONE)
    axe(page)

    page.locator(".slot").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    axe(page)

    # Without consent: a 400 with an error summary that takes the focus.
    page.watch.expect_error_status(book_url(live_server, specialist), 400)
    fill_details(page, name="Kim", email="kim@example.org", consent=False)
    submit(page).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Please agree to the privacy notice to book.")
    assert not Booking.objects.exists()
    axe(page)

    page.get_by_role("checkbox", name=CONSENT).check()
    submit(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your consultation is booked"
    )
    axe(page)

    [manage_link] = MANAGE_LINK.findall(sent_to(mailoutbox, "kim@example.org")[0].body)
    page.goto(manage_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your consultation")
    axe(page)


def test_specialists_availability_and_consultations_pages_pass_axe(
    new_page, live_server, axe
):
    user = make_verified_user()
    specialist = make_bookable_specialist(user=user, display_name="Rowan Example")
    start = services.free_slots(specialist)[0]
    pre_book(live_server, specialist, start)
    page = new_page()
    log_in(page, live_server, user)

    page.goto(f"{live_server.url}/specialists/me/availability/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your availability for free consultations"
    )
    axe(page)

    page.goto(f"{live_server.url}/specialists/me/consultations/")
    date, time = when(start, specialist.time_zone)
    expect(page.locator(".booking-list").first).to_contain_text(f"{date}, {time} · Sam")
    axe(page)


def test_double_click_on_book_books_once(new_page, live_server, mailoutbox, specialist):
    first = services.free_slots(specialist)[0]
    page = new_page(timezone_id="Europe/Berlin")
    page.goto(slot_url(live_server, specialist, first, "Europe/Berlin"))
    expect_details_page(page, specialist, first, "Europe/Berlin")
    fill_details(page, name="Jo", email="jo@example.org")

    # Chromium itself sends only one of the two submissions: see the next tests.
    submit(page).dblclick()

    expect_booked_page(page, specialist, first, "Europe/Berlin", "jo@example.org")
    assert Booking.objects.count() == 1
    assert len(sent_to(mailoutbox, "jo@example.org")) == 1


# The form sent twice by script: each copy follows its redirect.
SUBMIT_TWICE_IN_TURN = """async form => {
  const answers = [];
  for (const copy of [1, 2]) {
    const response = await fetch(form.action, {method: "POST", body: new FormData(form)});
    answers.push([response.status, new URL(response.url).pathname]);
  }
  return answers;
}"""
SUBMIT_TWICE_AT_ONCE = """form => Promise.all([1, 2].map(() =>
  fetch(form.action, {method: "POST", body: new FormData(form)})
    .then(response => [response.status, new URL(response.url).pathname])
))"""
BOTH_BOOKED = [[200, "/consultations/booked/"]] * 2


def open_filled_form(new_page, live_server, specialist, start):
    page = new_page(timezone_id="Europe/Berlin")
    page.goto(slot_url(live_server, specialist, start, "Europe/Berlin"))
    fill_details(page, name="Jo", email="jo@example.org")
    return page, page.locator("form", has=submit(page))


def test_the_same_form_sent_again_books_once(
    new_page, live_server, mailoutbox, specialist
):
    """Chromium folds a double click into one request; a slow connection may
    not, and the second copy comes once the first has booked."""
    first = services.free_slots(specialist)[0]
    page, form = open_filled_form(new_page, live_server, specialist, first)

    assert form.evaluate(SUBMIT_TWICE_IN_TURN) == BOTH_BOOKED
    assert Booking.objects.count() == 1
    assert len(sent_to(mailoutbox, "jo@example.org")) == 1
    page.goto(f"{live_server.url}/consultations/booked/")
    expect_booked_page(page, specialist, first, "Europe/Berlin", "jo@example.org")


@pytest.fixture
def overlapping_requests(monkeypatch):
    """Both booking requests pass the form-token check before either has
    booked; the second checks the slot only once the first has saved its
    booking. Returns the list of requests (threads) that reached the check."""
    real_is_free = slots.is_free
    arrived = []
    both_in = threading.Barrier(2, timeout=3)

    def is_free(schedule, start, now):
        arrived.append(threading.get_ident())
        second = len(arrived) == 2
        both_in.wait()
        if second:
            deadline = time.monotonic() + 3
            while not Booking.objects.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
        return real_is_free(schedule, start, now)

    monkeypatch.setattr(slots, "is_free", is_free)
    return arrived


def test_the_same_form_sent_twice_at_once_books_once(
    new_page, live_server, mailoutbox, specialist, overlapping_requests
):
    first = services.free_slots(specialist)[0]
    page, form = open_filled_form(new_page, live_server, specialist, first)

    answers = form.evaluate(SUBMIT_TWICE_AT_ONCE)

    if len(overlapping_requests) != 2:
        pytest.fail(f"the requests did not overlap: {overlapping_requests}")
    assert Booking.objects.count() == 1
    assert len(sent_to(mailoutbox, "jo@example.org")) == 1
    assert answers == BOTH_BOOKED


def next_free_text(moment, zone):
    local = moment.astimezone(ZoneInfo(zone))
    place = zone.rsplit("/", 1)[-1].replace("_", " ")
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} ({place})"


def test_directory_shows_the_next_free_time_in_the_visitors_zone_with_javascript(
    live_server, new_page, specialist
):
    first = services.free_slots(specialist)[0]
    page = new_page(timezone_id=VISITOR_ZONE)

    page.goto(f"{live_server.url}/specialists/?sort=soonest")

    expect(page.locator(".specialist-card .next-free time")).to_have_text(
        next_free_text(first, VISITOR_ZONE)
    )


def test_without_javascript_the_next_free_time_is_in_the_specialists_named_zone(
    live_server, new_page, specialist
):
    first = services.free_slots(specialist)[0]
    page = new_page(java_script_enabled=False, timezone_id=VISITOR_ZONE)

    page.goto(f"{live_server.url}/specialists/{specialist.slug}/")

    expect(page.locator(".profile-actions .next-free")).to_have_text(
        f"Next free: {next_free_text(first, specialist.time_zone)}"
    )


PHONE_LABEL = "Your phone number (only if you chose phone)"


@pytest.fixture
def calls_back():
    """A specialist who offers video, and phone calls they make themselves."""
    return make_bookable_specialist(
        slug="kim-example",
        display_name="Kim Example",
        offers_phone=True,
        phone_direction="specialist_calls",
    )


def test_phone_number_field_shows_only_for_phone_with_javascript(
    new_page, live_server, mailoutbox, axe, calls_back
):
    first = services.free_slots(calls_back)[0]
    page = new_page(timezone_id="Europe/Berlin")
    page.goto(slot_url(live_server, calls_back, first, "Europe/Berlin"))
    expect(page.locator(".how-it-works")).to_contain_text(
        "By phone: the specialist calls you at the booked time."
    )
    phone = field(page, PHONE_LABEL)
    expect(phone).to_be_hidden()

    page.get_by_role("radio", name="Phone").check()
    expect(phone).to_be_visible()
    axe(page)
    page.get_by_role("radio", name="Video").check()
    expect(phone).to_be_hidden()

    page.get_by_role("radio", name="Phone").check()
    field(page, NAME_LABEL).fill("Alex")
    field(page, "Email").fill("alex@example.org")
    phone.fill("+44 7700 900123")
    page.get_by_role("checkbox", name="Please do not leave a voicemail").check()
    page.get_by_role("checkbox", name=CONSENT).check()
    submit(page).click()

    expect(page.locator(".meeting-details")).to_have_text(
        "By phone: Kim Example calls you on +44 7700 900123 at the booked time."
    )
    axe(page)
    booking = Booking.objects.get()
    assert (booking.visitor_phone, booking.no_voicemail) == ("+44 7700 900123", True)


def test_phone_number_field_is_always_there_without_javascript(
    new_page, live_server, mailoutbox, calls_back
):
    """axe needs JavaScript: the test above checks the same page with it."""
    first = services.free_slots(calls_back)[0]
    page = new_page(java_script_enabled=False, timezone_id="Europe/Berlin")
    page.goto(slot_url(live_server, calls_back, first, "Europe/Berlin"))
    phone = field(page, PHONE_LABEL)
    expect(phone).to_be_visible()

    # Phone chosen, number left out: the form says what is missing.
    page.watch.expect_error_status(book_url(live_server, calls_back), 400)
    field(page, NAME_LABEL).fill("Robin")
    field(page, "Email").fill("robin@example.org")
    page.get_by_role("radio", name="Phone").check()
    page.get_by_role("checkbox", name=CONSENT).check()
    submit(page).click()
    expect(page.locator("[data-error-summary]")).to_contain_text(
        "The specialist calls you: please give the number to call."
    )

    field(page, PHONE_LABEL).fill("+44 7700 900123")
    page.get_by_role("checkbox", name=CONSENT).check()
    submit(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your consultation is booked"
    )
    assert Booking.objects.get().visitor_phone == "+44 7700 900123"
