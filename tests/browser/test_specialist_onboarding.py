"""A new specialist's whole way, as they live it: from the home page to "For
specialists", signing up and verifying, a profile with a photo and a video
link, a week of hours in one save, submitting; staff approve from the review
queue; the specialist gets the email, opens the dashboard, subscribes to the
calendar feed, and a visitor's booking shows on both.

axe-core checks every page the specialist and the visitor see (the admin is
exempt). The page fixtures fail the test on any console error, CSP violation
or request to another host (see conftest.py).
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Permission
from icalendar import Calendar
from playwright.sync_api import expect

from consultations.ics import uid_for
from consultations.models import Booking
from core.models import Topic
from specialists.models import Specialist
from tests.browser.test_accounts_journey import CONFIRM_LINK, PASSWORD, field
from tests.browser.test_admin_review import log_in_to_the_admin
from tests.browser.test_booking_journey import CONSENT, NAME_LABEL
from tests.browser.test_specialists_journey import image_file, submit_for_review
from tests.factories import make_verified_user

PHONE = {"width": 375, "height": 740}
WIDE = {"width": 1280, "height": 800}
EMAIL = "rowan@example.org"
LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def emails_to(mailoutbox, address):
    return [m for m in mailoutbox if any(address in to for to in m.to)]


def links_in(message):
    return LINK.findall(message.body)


def sign_up_from_the_way_in(page, live_server, check_page, mailoutbox):
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="For specialists").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("For specialists")
    check_page(page, javascript=True)

    page.get_by_role("main").get_by_role(
        "link", name="Create your specialist profile"
    ).click()
    dialog = page.get_by_role(
        "dialog",
        name="To create your specialist profile, please log in to your account.",
    )
    dialog.get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/\?next="))
    check_page(page, javascript=True)
    field(page, "Email").fill(EMAIL)
    field(page, "Password").fill(PASSWORD)
    field(page, "Password (again)").fill(PASSWORD)
    # Not logged in before the address is verified (enumeration prevention).
    page.get_by_role("main").get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_page(page, javascript=True)

    [confirm] = CONFIRM_LINK.findall(emails_to(mailoutbox, EMAIL)[0].body)
    page.goto(confirm)
    page.get_by_role("main").get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(f"{live_server.url}/specialists/new/")


def make_profile(page, check_page, tmp_path):
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Create your specialist profile"
    )
    check_page(page, javascript=True)
    field(page, "Display name").fill("Rowan Example")
    field(page, "Headline").fill("Clinical psychologist")
    field(page, "About you").fill("I listen, and we decide together what helps.")
    page.get_by_role("group", name="Topics").get_by_label(
        "Workplace harassment"
    ).check()
    expect(field(page, "Video")).to_be_checked()
    field(page, "Video meeting link").fill("https://meet.example.org/rowan")
    field(page, "Time zone").select_option("Europe/Berlin")
    field(page, "City").fill("Berlin")
    field(page, "Country").select_option(label="Germany")
    field(page, "Photo").set_input_files(
        image_file(tmp_path / "me.jpg", "JPEG", (1200, 900))
    )
    submit_for_review(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your specialist dashboard"
    )
    expect(page.locator(".dashboard-state")).to_have_text("Status: Waiting for review")
    check_page(page, javascript=True)


def set_a_week_of_hours(page, live_server, check_page):
    page.get_by_role("region", name="Hours").get_by_role(
        "link", name="Set your hours"
    ).click()
    expect(page).to_have_url(f"{live_server.url}/specialists/me/availability/")
    check_page(page, javascript=True)
    page.locator('input[name="hours-0-0-start"]').fill("09:00")
    page.locator('input[name="hours-0-0-end"]').fill("12:00")
    page.get_by_role("button", name="Add a range (Monday)").click()
    page.locator('input[name="hours-0-1-start"]').fill("13:00")
    page.locator('input[name="hours-0-1-end"]').fill("17:00")
    page.get_by_role(
        "button", name="Copy to all weekdays (Monday's ranges to Monday to Friday)"
    ).click()
    expect(page.locator('input[name="hours-4-1-end"]')).to_have_value("17:00")
    page.get_by_role("button", name="Save availability").click()
    expect(page.locator(".messages")).to_contain_text(
        "Your availability has been saved."
    )
    check_page(page, javascript=True)
    specialist = Specialist.objects.get(user__email=EMAIL)
    assert specialist.availability.windows.count() == 10  # two ranges, Mon–Fri


def approve_from_the_queue(new_page, live_server):
    reviewer = make_verified_user(password=PASSWORD, is_staff=True)
    reviewer.user_permissions.set(
        Permission.objects.filter(codename__in=["view_specialist", "change_specialist"])
    )
    admin = new_page()
    log_in_to_the_admin(admin, live_server, reviewer)
    admin.get_by_role("link", name="Profiles to review (1)").click()
    rows = admin.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("New profile")
    admin.get_by_role("link", name="Rowan Example").click()
    admin.get_by_role("button", name="Approve").click()
    expect(admin.locator(".messagelist .success")).to_have_text(
        "Rowan Example approved: the profile is public."
    )


def subscribe_to_the_calendar(page, live_server, check_page):
    page.get_by_role("region", name="Consultations").get_by_role(
        "link", name="In your own calendar"
    ).click()
    expect(page).to_have_url(f"{live_server.url}/specialists/me/calendar/")
    check_page(page, javascript=True)
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.get_by_label("Calendar address").input_value()
    assert address.startswith(f"{live_server.url}/consultations/calendar-feed/")
    check_page(page, javascript=True)
    return address


def feed_events(page, address):
    response = page.request.get(address)
    assert response.status == 200
    return Calendar.from_ical(response.body()).walk("VEVENT")


def book_as_a_visitor(new_page, live_server, check_page, viewport):
    visitor = new_page(viewport=viewport)
    visitor.goto(live_server.url + "/specialists/")
    visitor.get_by_role("link", name="Rowan Example", exact=True).first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Rowan Example")
    check_page(visitor, javascript=True)
    visitor.get_by_role("link", name="Book a free consultation").first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Book a free consultation with Rowan Example"
    )
    check_page(visitor, javascript=True)
    visitor.locator(".slot").first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Your details")
    field(visitor, NAME_LABEL).fill("Sam")
    field(visitor, "Email").fill("sam@example.com")
    visitor.get_by_role("checkbox", name=CONSENT).check()
    visitor.get_by_role("button", name="Book the consultation").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Your consultation is booked"
    )
    check_page(visitor, javascript=True)
    return Booking.objects.get()


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["375px", "1280px"])
def test_a_new_specialist_joins_is_approved_and_sees_a_booking_on_the_dashboard_and_in_their_calendar(  # noqa: E501
    new_page, live_server, check_page, mailoutbox, tmp_path, viewport
):
    Topic.objects.create(name="Workplace harassment", slug="workplace")
    page = new_page(viewport=viewport)

    sign_up_from_the_way_in(page, live_server, check_page, mailoutbox)
    make_profile(page, check_page, tmp_path)
    set_a_week_of_hours(page, live_server, check_page)

    approve_from_the_queue(new_page, live_server)
    specialist = Specialist.objects.get(user__email=EMAIL)
    assert specialist.status == Specialist.Status.APPROVED

    # The approval email leads to the dashboard, which now says so.
    [approved] = [m for m in emails_to(mailoutbox, EMAIL) if "approved" in m.subject]
    dashboard_link = f"{live_server.url}/specialists/me/"
    assert dashboard_link in links_in(approved)
    page.goto(dashboard_link)
    expect(page.locator(".dashboard-state")).to_have_text("Status: Approved")
    expect(page.get_by_role("region", name="Hours")).to_contain_text("Next free time")
    check_page(page, javascript=True)

    address = subscribe_to_the_calendar(page, live_server, check_page)
    assert feed_events(page, address) == []

    booking = book_as_a_visitor(new_page, live_server, check_page, viewport)

    # Told by email, with a link to the booking and nothing the visitor wrote.
    [told] = [m for m in emails_to(mailoutbox, EMAIL) if "appointment" in m.subject]
    booking_link = (
        f"{live_server.url}/specialists/me/consultations/#booking-{booking.pk}"
    )
    assert booking_link in links_in(told)
    assert "sam@example.com" not in told.body

    # On the dashboard, and on the consultations page the email leads to.
    page.goto(dashboard_link)
    expect(page.get_by_role("region", name="Consultations")).to_contain_text(
        "1 upcoming consultation."
    )
    check_page(page, javascript=True)
    page.goto(booking_link)
    expect(page.locator(f"#booking-{booking.pk}")).to_contain_text("Sam")
    check_page(page, javascript=True)

    # And in their own calendar app, under the booking's UID, without names.
    [event] = feed_events(page, address)
    assert str(event["uid"]) == uid_for(booking)
    assert event["summary"] == "Free consultation"
    assert event.decoded("dtstart") == booking.start.replace(microsecond=0)
    assert parse_qs(urlsplit(address).query) == {}
