"""A specialist subscribes to their consultations in their own calendar app:
the settings page at phone and desktop width, with and without JavaScript,
passes axe; the address is shown once and serves a feed a calendar parses;
a new address retires the old one."""

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.test_accounts_journey import log_in
from tests.factories import make_bookable_specialist, make_booking, make_verified_user

PHONE = {"width": 375, "height": 740}
WIDE = {"width": 1280, "height": 800}


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["375px", "1280px"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_specialist_makes_a_calendar_address_and_the_feed_parses(
    new_page, live_server, check_page, viewport, javascript
):
    user = make_verified_user()
    specialist = make_bookable_specialist(user=user, display_name="Rowan Example")
    booking = make_booking(specialist, name="Sam Visitor")
    page = new_page(viewport=viewport, java_script_enabled=javascript)
    log_in(page, live_server, user)

    page.goto(f"{live_server.url}/specialists/me/calendar/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your consultations in your own calendar"
    )
    check_page(page, javascript)

    page.get_by_role("button", name="Make my calendar address").click()
    address_field = page.get_by_label("Calendar address")
    expect(address_field).to_have_attribute("readonly", "")
    address = address_field.input_value()
    assert address.startswith(f"{live_server.url}/consultations/calendar-feed/")
    subscribe = page.get_by_role("link", name="Subscribe on this device")
    expect(subscribe).to_have_attribute(
        "href", address.replace("http://", "webcal://", 1)
    )
    check_page(page, javascript)

    feed = page.request.get(address)
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    [event] = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert event["summary"] == "Free consultation"
    assert event.decoded("dtstart") == booking.start.replace(microsecond=0)

    page.goto(f"{live_server.url}/specialists/me/calendar/")
    expect(page.get_by_role("heading", name="Your subscription is on")).to_be_visible()
    expect(page.get_by_label("Calendar address")).to_have_count(0)
    page.get_by_role("button", name="Regenerate the address").click()
    new_address = page.get_by_label("Calendar address").input_value()
    assert new_address != address
    assert page.request.get(address).status == 404
    assert page.request.get(new_address).status == 200
