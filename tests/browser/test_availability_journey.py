"""A specialist sets a week of hours in one save, on a phone and a wide
screen, with and without JavaScript: several ranges on several days, "Add a
range", "Copy to all weekdays", a refused range, a preview, then Save.

The page fixtures fail any test whose pages log a console error, throw, break
the Content-Security-Policy or ask another host for anything (see conftest.py).
"""

from datetime import time

import pytest
from playwright.sync_api import expect

from tests.factories import make_bookable_specialist, make_verified_user

from .test_accounts_journey import log_in

PHONE = {"width": 375, "height": 740}
WIDE = {"width": 1280, "height": 800}
MONDAY_TO_FRIDAY = range(5)


def time_field(page, name):
    return page.locator(f'input[name="{name}"]')


def add_range(page, day, *, javascript):
    """Presses the day's "Add a range": with JavaScript the row appears in
    place (the page is not reloaded); without, the form comes back with it."""
    page.evaluate("window.__samePage = true")
    page.get_by_role("button", name=f"Add a range ({day})").click()
    if javascript:
        assert page.evaluate("window.__samePage === true")
    else:
        expect(page.locator(".notice")).to_contain_text("Nothing is saved yet.")
        assert page.evaluate("window.__samePage === undefined")


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["375px", "1280px"])
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_specialist_sets_a_week_of_hours_in_one_save(
    new_page, live_server, check_page, viewport, javascript
):
    user = make_verified_user()
    specialist = make_bookable_specialist(
        user=user, time_zone="Europe/Berlin", windows=[(6, "08:00", "09:00")]
    )
    page = new_page(viewport=viewport, java_script_enabled=javascript)
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/specialists/me/availability/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your availability for free consultations"
    )
    check_page(page, javascript)

    # Monday: two ranges, the second in a row added for it.
    time_field(page, "hours-0-0-start").fill("09:00")
    time_field(page, "hours-0-0-end").fill("12:00")
    add_range(page, "Monday", javascript=javascript)
    if javascript:
        expect(time_field(page, "hours-0-1-start")).to_be_focused()
    else:
        expect(time_field(page, "hours-0-0-start")).to_have_value("09:00")
    time_field(page, "hours-0-1-start").fill("13:00")
    time_field(page, "hours-0-1-end").fill("17:00")

    # Monday's two ranges to every weekday, not saved yet.
    page.get_by_role("button", name="Copy to all weekdays (Monday's ranges to Monday to Friday)").click()  # fmt: skip
    expect(page.locator(".notice")).to_contain_text("Nothing is saved yet")
    for weekday in MONDAY_TO_FRIDAY:
        expect(time_field(page, f"hours-{weekday}-1-end")).to_have_value("17:00")
    assert list(specialist.availability.windows.values_list("weekday", flat=True)) == [6]  # fmt: skip

    # Saturday morning, and a Sunday that ends before it starts: refused.
    time_field(page, "hours-5-0-start").fill("10:00")
    time_field(page, "hours-5-0-end").fill("12:00")
    time_field(page, "hours-6-0-start").fill("12:00")
    time_field(page, "hours-6-0-end").fill("09:00")
    page.get_by_role("button", name="Save availability").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Sunday, range 1: Until: The end must be after the start.")  # fmt: skip
    if javascript:
        expect(summary).to_be_focused()
    expect(time_field(page, "hours-6-0-end")).to_have_attribute("aria-invalid", "true")
    expect(time_field(page, "hours-5-0-start")).to_have_value("10:00")
    check_page(page, javascript)
    summary.get_by_role("link").click()
    expect(time_field(page, "hours-6-0-end")).to_be_focused()

    # Sunday afternoon instead, previewed before saving.
    time_field(page, "hours-6-0-start").fill("14:00")
    time_field(page, "hours-6-0-end").fill("00:00")
    page.get_by_role("button", name="Preview the next 7 days").click()
    preview = page.locator("[data-preview]")
    expect(preview).to_contain_text("Preview: your free times in the next 7 days")
    expect(preview.locator("dt")).to_have_count(7)
    expect(preview).to_contain_text("23:30")  # Sunday runs until midnight
    if javascript:
        expect(preview).to_be_focused()
    check_page(page, javascript)
    assert list(specialist.availability.windows.values_list("weekday", flat=True)) == [6]  # fmt: skip

    page.get_by_role("button", name="Save availability").click()
    expect(page.locator(".messages")).to_contain_text("Your availability has been saved.")  # fmt: skip
    saved = [(w.weekday, w.start, w.end) for w in specialist.availability.windows.all()]
    assert saved == [
        *[(day, start, end) for day in MONDAY_TO_FRIDAY for start, end in [(time(9), time(12)), (time(13), time(17))]],
        (5, time(10), time(12)),
        (6, time(14), time(0)),
    ]  # fmt: skip
    expect(time_field(page, "hours-4-1-start")).to_have_value("13:00")
