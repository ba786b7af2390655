"""Logging in and out in a real browser: messages stay on the server, logging
out clears what the browser kept of the site, and the account deletion page
(which says what stays) passes axe with and without JavaScript."""

from playwright.sync_api import expect

from tests.browser.test_accounts_journey import PASSWORD, field
from tests.factories import make_verified_user

EMAIL = "quiet.reader@example.com"


def log_in_with_the_form(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    field(page, "Email").fill(EMAIL)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.locator(".messages")).to_contain_text("You are logged in.")


def test_log_in_and_out_leaves_no_email_in_the_browser(page, live_server):
    make_verified_user(email=EMAIL, password=PASSWORD)

    log_in_with_the_form(page, live_server)
    cookies = page.context.cookies()
    assert all(EMAIL not in cookie["value"] for cookie in cookies)
    assert "messages" not in {cookie["name"] for cookie in cookies}
    page.evaluate("localStorage.setItem('left', 'behind')")

    page.get_by_role("banner").get_by_role("button", name="Log out").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You are logged out")
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name="Log in")).to_be_visible()
    assert page.evaluate("localStorage.getItem('left')") is None
    assert all(EMAIL not in cookie["value"] for cookie in page.context.cookies())
    page.goto(live_server.url + "/account/data/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/account/data/")


def test_account_deletion_says_what_stays_and_then_that_it_is_done(
    page, check_page, live_server
):
    make_verified_user(email=EMAIL, password=PASSWORD)

    log_in_with_the_form(page, live_server)
    page.goto(live_server.url + "/account/delete/")

    expect(page.get_by_role("heading", name="What stays")).to_be_visible()
    check_page(page, javascript=True)
    check_page(page, javascript=False)

    field(page, "Your password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your account has been deleted"
    )
    check_page(page, javascript=True)
