"""When things change under the visitor, on a phone (375 px wide), with and
without JavaScript: a time taken a moment ago keeps everything typed and
offers the nearest free times; rescheduling and cancelling from the private
link close the loop, and the old link then says so, and nothing more.
Every page of the way passes axe.
"""

from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from consultations import services
from consultations.models import Booking
from tests.factories import index_with_even_neighbours, make_bookable_specialist

from .test_accounts_journey import field
from .test_booking_journey import (
    NAME_LABEL,
    VISITOR_ZONE,
    fill_details,
    pre_book,
    slot_url,
    submit,
)

PHONE = {"width": 375, "height": 740}
WITH_AND_WITHOUT_JS = pytest.mark.parametrize(
    "javascript", [True, False], ids=["with-js", "without-js"]
)


@pytest.fixture
def specialist():
    return make_bookable_specialist(slug="rowan-example", display_name="Rowan Example")


def phone_page(new_page, javascript):
    return new_page(
        viewport=PHONE, java_script_enabled=javascript, timezone_id=VISITOR_ZONE
    )


def slot_button(page, start):
    """The picker's button for `start`, on its own day (the first day shown
    need not hold it: that depends on the hour the test runs)."""
    local = start.astimezone(ZoneInfo(VISITOR_ZONE))
    day = page.locator(".slot-day").filter(
        has=page.get_by_role("heading", name=f"{local:%A} {local.day} {local:%B}")
    )
    return day.get_by_role("button", name=f"{local:%H:%M}")


def local_label(start):
    local = start.astimezone(ZoneInfo(VISITOR_ZONE))
    return f"{local:%A} {local.day} {local:%B}, {local:%H:%M}"


@WITH_AND_WITHOUT_JS
def test_a_time_taken_meanwhile_keeps_the_form_and_one_submit_books_a_near_one(
    new_page, live_server, check_page, specialist, javascript
):
    free = services.free_slots(specialist)
    i = index_with_even_neighbours(free)
    wanted = free[i]
    page = phone_page(new_page, javascript)
    url = slot_url(live_server, specialist, wanted, VISITOR_ZONE)
    page.goto(url)
    fill_details(page, name="Robin", email="robin@example.org")
    page.get_by_label("Note for the specialist").fill("Evenings are best")
    # Someone else books the same time while Robin is typing.
    pre_book(live_server, specialist, wanted, email="someone@example.org")

    page.watch.expect_error_status(url.split("?")[0], 409)
    submit(page).click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("this time was just taken")
    if javascript:
        expect(summary).to_be_focused()
    expect(field(page, NAME_LABEL)).to_have_value("Robin")
    expect(field(page, "Email")).to_have_value("robin@example.org")
    expect(page.get_by_label("Note for the specialist")).to_have_value(
        "Evenings are best"
    )
    expect(page.get_by_role("radio", name="Video")).to_be_checked()
    nearest = page.get_by_role("group", name="The nearest free times")
    expect(nearest.get_by_role("radio")).to_have_count(6)
    check_page(page, javascript)

    nearest.get_by_role("radio", name=local_label(free[i - 1])).check()
    submit(page).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your consultation is booked"
    )
    check_page(page, javascript)
    booking = Booking.objects.get(email="robin@example.org")
    assert (booking.start, booking.note) == (free[i - 1], "Evenings are best")


@WITH_AND_WITHOUT_JS
def test_rescheduling_then_cancelling_from_the_private_link_closes_the_loop(
    new_page, live_server, check_page, mailoutbox, specialist, javascript
):
    free = services.free_slots(specialist)
    booking, manage_link = pre_book(live_server, specialist, free[0])
    page = phone_page(new_page, javascript)
    page.goto(manage_link)
    check_page(page, javascript)

    page.get_by_role("link", name="Choose another time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose another time")
    check_page(page, javascript)
    time = free[3].astimezone(ZoneInfo(VISITOR_ZONE)).strftime("%H:%M")
    slot_button(page, free[3]).click()

    expect(page.locator(".messages")).to_contain_text("has been moved")
    expect(page.locator(".chosen-slot")).to_contain_text(f"at {time}")
    booking.refresh_from_db()
    assert (booking.start, booking.sequence) == (free[3], 1)

    page.get_by_label("Reason (optional)").fill("Something came up")
    page.get_by_role("button", name="Cancel the consultation").click()

    expect(page).to_have_url(manage_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This consultation was cancelled"
    )
    main = page.get_by_role("main")
    for private in ("Rowan Example", "Sam", time):
        expect(main).not_to_contain_text(private)
    check_page(page, javascript)
    booking.refresh_from_db()
    assert (booking.status, booking.sequence) == (Booking.Status.CANCELLED, 2)

    page.get_by_role("link", name="Book a free consultation").first.click()
    expect(page).to_have_url(f"{live_server.url}/consultations/free/")


@WITH_AND_WITHOUT_JS
def test_a_fourth_move_in_a_day_is_refused_plainly_on_the_same_picker(
    new_page, live_server, check_page, specialist, javascript
):
    free = services.free_slots(specialist)
    booking, manage_link = pre_book(live_server, specialist, free[0])
    for _ in range(services.RESCHEDULES_PER_BOOKING.limit):
        services.RESCHEDULES_PER_BOOKING.hit(booking.pk)
    page = phone_page(new_page, javascript)
    page.goto(manage_link)
    page.get_by_role("link", name="Choose another time").click()
    page.watch.expect_error_status(f"{manage_link}reschedule/", 429)

    slot_button(page, free[3]).click()

    expect(page.locator(".messages")).to_contain_text("moved several times today")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose another time")
    # The time chosen is still on offer, for later.
    expect(slot_button(page, free[3])).to_be_visible()
    check_page(page, javascript)
    booking.refresh_from_db()
    assert (booking.start, booking.sequence) == (free[0], 0)
