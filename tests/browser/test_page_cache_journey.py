"""Kept pages in real browsers (core/pagecache.py): two visitors in different
time zones each get the booking page in their own zone although both are
served from one worker's memory, a booking made elsewhere shows on the next
load, and the kept pages pass axe with and without JavaScript."""

import pytest

from consultations import services
from core import pagecache
from tests.browser.test_booking_journey import (
    expect_first_slot,
    expect_zone,
    pre_book,
)
from tests.factories import make_bookable_specialist


@pytest.fixture
def specialist():
    return make_bookable_specialist(slug="rowan-example", display_name="Rowan Example")


def test_kept_booking_pages_follow_each_browsers_zone_and_a_booking_elsewhere(
    new_page, live_server, check_page, specialist, monkeypatch
):
    # Booked through "another worker": only the public content version tells.
    monkeypatch.setattr(pagecache, "forget_on_write", False)
    url = f"{live_server.url}/specialists/rowan-example/book/"
    first, second = services.free_slots(specialist)[:2]

    plain = new_page(java_script_enabled=False)
    plain.goto(url)
    expect_zone(plain, "Europe/Berlin")
    tokyo = new_page(timezone_id="Asia/Tokyo")
    tokyo.goto(url)  # site.js keeps the zone in a cookie and shows Tokyo times
    expect_zone(tokyo, "Asia/Tokyo")
    tokyo.goto(url)  # now the server's page for the cookie's zone
    expect_zone(tokyo, "Asia/Tokyo")
    plain.reload()
    expect_zone(plain, "Europe/Berlin")
    expect_first_slot(plain, first, "Europe/Berlin")
    assert pagecache.plain_pages.page_count() == 2  # Berlin and Tokyo
    check_page(plain, javascript=False)
    check_page(tokyo, javascript=True)

    pre_book(live_server, specialist, first)

    plain.reload()
    expect_first_slot(plain, second, "Europe/Berlin")
    tokyo.reload()
    expect_first_slot(tokyo, second, "Asia/Tokyo")
