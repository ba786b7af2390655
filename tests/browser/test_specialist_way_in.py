"""A specialist finds the way in and their home: from the home page to "For
specialists", the one button, the account prompt that brings them back to the
profile form; and the dashboard on a phone and on a wide screen.

The page fixtures fail any test whose pages log a console error, throw, break
the Content-Security-Policy or ask another host for anything (see conftest.py).
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from messaging.services import send_message
from tests.browser.test_accounts_journey import CONFIRM_LINK, PASSWORD, field, log_in
from tests.factories import make_bookable_specialist, make_booking, make_verified_user

PROMPT = "To create your specialist profile, please log in to your account."
PHONE = {"width": 375, "height": 667}
WIDE = {"width": 1280, "height": 800}
ONE_LINE_HEADER = 80  # px, as in test_phone_layout


def assert_leads_back_to_the_profile_form(link, path):
    href = urlsplit(link.get_attribute("href"))
    assert (href.path, parse_qs(href.query)) == (path, {"next": ["/specialists/new/"]})


def open_for_specialists(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="For specialists").click()
    expect(page).to_have_url(f"{live_server.url}/for-specialists/")
    expect(page.get_by_role("heading", level=1)).to_have_text("For specialists")
    expect(
        page.get_by_role(
            "heading", name="Potential benefits of a free initial consultation"
        )
    ).to_be_visible()


def no_sideways_scroll(page):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["375", "1280"])
def test_without_javascript_the_button_leads_through_sign_up_to_the_profile_form(
    new_page, check_page, live_server, mailoutbox, viewport
):
    page = new_page(viewport=viewport, java_script_enabled=False)
    open_for_specialists(page, live_server)
    no_sideways_scroll(page)
    check_page(page, javascript=False)

    page.get_by_role("main").get_by_role(
        "link", name="Create your specialist profile"
    ).click()
    expect(page).to_have_url(f"{live_server.url}/specialists/new/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(PROMPT)
    assert_leads_back_to_the_profile_form(
        main.get_by_role("link", name="Login"), "/accounts/login/"
    )
    sign_up = main.get_by_role("link", name="Sign up")
    assert_leads_back_to_the_profile_form(sign_up, "/accounts/signup/")
    sign_up.click()

    expect(page).to_have_url(re.compile(r"/accounts/signup/\?next="))
    email = f"new-specialist-{viewport['width']}@example.com"
    field(page, "Email").fill(email)
    field(page, "Password").fill(PASSWORD)
    field(page, "Password (again)").fill(PASSWORD)
    # Not logged in before the address is verified (enumeration prevention).
    page.get_by_role("main").get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_page(page, javascript=False)

    [link] = CONFIRM_LINK.findall(mailoutbox[0].body)
    assert parse_qs(urlsplit(link).query) == {"next": ["/specialists/new/"]}
    page.goto(link)
    page.get_by_role("main").get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(f"{live_server.url}/specialists/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Create your specialist profile"
    )
    assert EmailAddress.objects.get(email=email).verified


def test_with_javascript_the_button_opens_the_prompt_that_leads_back(
    page, check_page, live_server
):
    open_for_specialists(page, live_server)
    check_page(page, javascript=True)

    page.get_by_role("main").get_by_role(
        "link", name="Create your specialist profile"
    ).click()
    dialog = page.get_by_role("dialog", name=PROMPT, exact=True)
    expect(dialog).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/for-specialists/")
    assert_leads_back_to_the_profile_form(
        dialog.get_by_role("link", name="Sign up"), "/accounts/signup/"
    )
    dialog.get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(
        f"{live_server.url}/accounts/signup/?next=%2Fspecialists%2Fnew%2F"
    )


@pytest.fixture
def specialist():
    """An approved, bookable specialist with a booking and an unread message."""
    specialist = make_bookable_specialist(
        user=make_verified_user(email="rowan@example.org"),
        slug="rowan-example",
        display_name="Rowan Example",
        windows=[(0, "09:00", "12:00"), (0, "14:00", "17:00"), (2, "10:00", "13:00")],
    )
    make_booking(specialist)
    send_message(
        sender=make_verified_user(name="Sam"), body="Hello", specialist=specialist
    )
    return specialist


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["375", "1280"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_dashboard_is_one_click_from_the_menu_and_fits_the_screen(
    new_page, check_page, live_server, specialist, viewport, javascript
):
    page = new_page(viewport=viewport, java_script_enabled=javascript)
    log_in(page, live_server, specialist.user)
    page.goto(live_server.url + "/articles/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < ONE_LINE_HEADER

    menu = page.locator(".menu > summary")
    if menu.is_visible():
        menu.click()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Dashboard"
    ).click()

    expect(page).to_have_url(f"{live_server.url}/specialists/me/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(
        "Your specialist dashboard"
    )
    for title, link, href in [
        ("Profile", "Edit profile", "/specialists/me/edit/"),
        ("Consultations", "Your consultations", "/specialists/me/consultations/"),
        ("Messages", "Your messages", "/messages/"),
        ("Hours", "Set your hours", "/specialists/me/availability/"),
    ]:
        section = main.get_by_role("region", name=title)
        expect(section).to_be_visible()
        expect(section.get_by_role("link", name=link)).to_have_attribute("href", href)
    expect(main.get_by_role("region", name="Consultations")).to_contain_text(
        "1 upcoming consultation."
    )
    expect(main.get_by_role("region", name="Messages")).to_contain_text(
        "1 conversation has unread messages."
    )
    expect(main.get_by_role("region", name="Hours")).to_contain_text(
        "Mon 09:00–12:00, 14:00–17:00 · Wed 10:00–13:00"
    )
    expect(main.get_by_role("region", name="Hours")).to_contain_text("Next free time")
    no_sideways_scroll(page)
    check_page(page, javascript=javascript)
