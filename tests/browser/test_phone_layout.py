"""The layout on a phone and on a wide screen: booking comes first on the
profile and on every bookable card, the header keeps to one line, the
directory's first result shows on the first screen, and the "Leave this site"
link never covers a field or a button.

A phone is 375x667 (and 320 wide for the narrowest); a wide screen is 1280.
The page fixtures fail any test whose pages log a console error, throw, break
the Content-Security-Policy or ask another host for anything (see conftest.py).
"""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from consultations import services
from messaging.services import send_message
from tests.browser.test_accounts_journey import log_in
from tests.browser.test_booking_journey import (
    VISITOR_ZONE,
    fill_details,
    slot_url,
    submit,
)
from tests.factories import (
    make_bookable_specialist,
    make_specialist,
    make_verified_user,
)

PHONE = {"width": 375, "height": 667}
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 800}
FIRST_SCREEN = 667
ONE_LINE_HEADER = 80  # px: one row of links or a Menu button, with its padding

LONG_BIO = "\n\n".join(
    ["I work with people who were harassed at work, online and in the street."] * 12
)


@pytest.fixture
def rowan():
    return make_bookable_specialist(
        slug="rowan-example",
        display_name="Rowan Example",
        headline="Clinical psychologist for workplace and online harassment",
        bio=LONG_BIO,
        qualifications="Licensed psychotherapist\nTrauma-focused CBT",
        years_of_practice=12,
        city="Berlin",
        country="DE",
    )


@pytest.fixture
def directory(rowan):
    return {
        "rowan": rowan,
        "ben": make_specialist(
            slug="ben-cole", display_name="Ben Cole", offers_free_consultation=False
        ),
        "cara": make_bookable_specialist(slug="cara-diaz", display_name="Cara Diaz"),
    }


def box(locator):
    locator.scroll_into_view_if_needed()
    return locator.bounding_box()


def page_box(page, locator):
    """The element's box in page coordinates (not the viewport's)."""
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return {top: r.top + scrollY, bottom: r.bottom + scrollY}; }"
    )


def header_height(page):
    return page.locator(".site-header").bounding_box()["height"]


# Every visible control is scrolled into view (if needed) the way a visitor's
# browser does it on focus, then compared with where the exit link is then.
COVERED_CONTROLS = """
() => {
  const exit = document.querySelector("[data-quick-exit]");
  const controls = document.querySelectorAll(
    "input:not([type=hidden]), select, textarea, button, a.button");
  const covered = [];
  for (const control of controls) {
    if (!control.checkVisibility()) continue;
    control.scrollIntoViewIfNeeded();
    const a = control.getBoundingClientRect();
    const b = exit.getBoundingClientRect();
    const overlaps = a.left < b.right && b.left < a.right
      && a.top < b.bottom && b.top < a.bottom;
    if (overlaps) covered.push(control.outerHTML.slice(0, 120));
  }
  return {checked: controls.length, covered: covered};
}
"""


def test_profile_on_a_phone_shows_book_and_its_time_on_the_first_screen(
    new_page, axe, live_server, rowan
):
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/specialists/rowan-example/")

    book = page.get_by_role("link", name="Book a free consultation")
    expect(book).to_have_attribute("href", "/specialists/rowan-example/book/")
    assert page_box(page, book)["bottom"] <= FIRST_SCREEN
    # The booking block (button and the next free time beside it).
    assert page_box(page, page.locator(".profile-book"))["bottom"] <= FIRST_SCREEN
    # Writing (gated) comes after booking, as the secondary action.
    message = page.get_by_role("link", name="Send message")
    assert page_box(page, message)["top"] > page_box(page, book)["bottom"]
    axe(page)

    book.click()
    expect(page).to_have_url(f"{live_server.url}/specialists/rowan-example/book/")


def test_profile_on_a_wide_screen_passes_axe_with_book_before_the_facts(
    new_page, axe, live_server, rowan
):
    page = new_page(viewport=WIDE)
    page.goto(f"{live_server.url}/specialists/rowan-example/")

    book = page.get_by_role("link", name="Book a free consultation")
    assert page_box(page, book)["bottom"] <= WIDE["height"]
    assert (
        page_box(page, book)["bottom"]
        < page_box(page, page.locator(".profile-facts"))["top"]
    )
    axe(page)


def test_profile_of_a_specialist_without_free_consultations_offers_only_a_message(
    new_page, live_server, directory
):
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/specialists/ben-cole/")

    expect(page.get_by_role("link", name="Send message")).to_be_visible()
    expect(page.get_by_role("link", name="Book a free consultation")).to_have_count(0)


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["375", "1280"])
def test_every_bookable_card_has_a_named_book_link_of_at_least_24_px(
    new_page, axe, live_server, directory, viewport
):
    page = new_page(viewport=viewport)
    page.goto(f"{live_server.url}/specialists/")

    cards = page.get_by_role("main").locator(".specialist-card")
    expect(cards).to_have_count(3)
    for name, slug in (("Rowan Example", "rowan-example"), ("Cara Diaz", "cara-diaz")):
        card = cards.filter(has_text=name)
        book = card.get_by_role(
            "link", name=f"Book a free consultation with {name}", exact=True
        )
        expect(book).to_have_text("Book a free consultation with " + name)
        expect(book).to_have_attribute("href", f"/specialists/{slug}/book/")
        size = box(book)
        assert size["width"] >= 24 and size["height"] >= 24, size
    ben = cards.filter(has_text="Ben Cole")
    expect(ben.get_by_role("link", name="Book", exact=False)).to_have_count(0)
    axe(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_directory_on_a_phone_folds_the_filters_and_shows_the_first_result(
    new_page, axe, live_server, directory, javascript
):
    page = new_page(viewport=PHONE, java_script_enabled=javascript)
    page.goto(f"{live_server.url}/specialists/")

    search = page.get_by_role("search", name="Filter specialists")
    expect(search).to_be_hidden()
    first = page.get_by_role("main").locator(".specialist-card").first
    assert page_box(page, first)["top"] < FIRST_SCREEN
    if javascript:
        axe(page)

    page.locator(".filters > summary").click()
    expect(search).to_be_visible()
    search.get_by_role("checkbox", name="Offers a free consultation").check()
    search.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/specialists/\?.*free=on"))
    expect(page.locator(".filters > summary")).to_have_text(
        "Filter specialists (1 active)"
    )
    expect(page.get_by_role("main").locator(".specialist-card")).to_have_count(2)


def test_directory_on_a_wide_screen_shows_the_filters_without_a_toggle(
    new_page, live_server, directory
):
    page = new_page(viewport=WIDE, java_script_enabled=False)
    page.goto(f"{live_server.url}/specialists/")

    expect(page.get_by_role("search", name="Filter specialists")).to_be_visible()
    expect(page.locator(".filters > summary")).to_be_hidden()


def test_directory_with_an_invalid_filter_opens_the_filters_on_a_phone(
    new_page, live_server, directory
):
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/specialists/?topic=nonsense")

    expect(page.get_by_role("search", name="Filter specialists")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Please check the form")


@pytest.mark.parametrize("viewport", [NARROW, PHONE, WIDE], ids=["320", "375", "1280"])
@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
def test_header_keeps_to_one_line(new_page, live_server, viewport, signed_in):
    page = new_page(viewport=viewport)
    if signed_in:
        log_in(page, live_server, make_verified_user())
    page.goto(f"{live_server.url}/articles/")

    assert header_height(page) < ONE_LINE_HEADER
    brand = page.get_by_role("link", name="Support after harassment")
    articles = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Articles"
    )
    if viewport is WIDE:
        # All links in one row, level with the site's name.
        expect(articles).to_be_visible()
        assert abs(box(articles)["y"] - box(brand)["y"]) < 24
    else:
        expect(articles).to_be_hidden()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_header_menu_on_a_phone_opens_and_leads_on(
    new_page, axe, live_server, javascript
):
    page = new_page(viewport=PHONE, java_script_enabled=javascript)
    page.goto(f"{live_server.url}/articles/")

    page.locator(".menu > summary").click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    # The open menu lies over the page; the header itself keeps its height.
    assert header_height(page) < ONE_LINE_HEADER
    if javascript:
        axe(page)

    nav.get_by_role("link", name="Specialists").click()
    expect(page).to_have_url(f"{live_server.url}/specialists/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a specialist")


@pytest.fixture
def form_pages(live_server, rowan):
    """(who, path) of every page with a form; who is None for a visitor."""
    person = make_verified_user(email="person@example.org")
    owner = make_verified_user(email="owner@example.org")
    make_specialist(user=owner, slug="owner", display_name="Owner Example")
    conversation = send_message(
        sender=person, body="Hello", specialist=rowan
    ).conversation
    start = services.free_slots(rowan)[0]
    slot = quote(start.isoformat(), safe="")
    return [
        (None, f"/specialists/rowan-example/book/?tz=Europe%2FBerlin&slot={slot}"),
        (None, "/accounts/signup/"),
        (None, "/accounts/login/"),
        (None, "/specialists/"),
        (person, "/contact/"),
        (person, "/questions/ask/"),
        (person, f"/messages/{conversation.pk}/"),
        (owner, "/specialists/me/edit/"),
    ]


@pytest.mark.parametrize("viewport", [NARROW, PHONE, WIDE], ids=["320", "375", "1280"])
def test_leave_this_site_never_covers_a_field_or_button(
    new_page, axe, live_server, form_pages, viewport
):
    pages = {}
    for who, path in form_pages:
        if who not in pages:
            pages[who] = new_page(viewport=viewport)
            if who is not None:
                log_in(pages[who], live_server, who)
        page = pages[who]
        page.goto(live_server.url + path)
        if viewport is not WIDE:
            # Folded parts (the directory's filters) are opened, so that
            # their fields are checked too.
            for summary in page.locator("main details:not([open]) > summary").all():
                summary.click()

        result = page.evaluate(COVERED_CONTROLS)

        assert result["checked"] > 2, path
        assert not result["covered"], f"{path} at {viewport}: {result['covered']}"
        if viewport is not NARROW:
            axe(page)


def test_booked_page_on_a_phone_wraps_the_private_link(new_page, live_server, rowan):
    """The private link is one long word: without wrapping, the page scrolled
    sideways on a phone."""
    start = services.free_slots(rowan)[0]
    page = new_page(viewport=PHONE, timezone_id=VISITOR_ZONE)
    page.goto(slot_url(live_server, rowan, start, VISITOR_ZONE))
    fill_details(page, name="Robin", email="robin@example.org")
    submit(page).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your consultation is booked"
    )
    # The heading is there before the stylesheet may be: measure the page as
    # shown, with its wrap rules (on a loaded machine it once measured 553).
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
