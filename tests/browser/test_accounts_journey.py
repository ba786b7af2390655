"""Accounts in a real browser: from "You need to be logged in to contact us" to a
sent message, with and without JavaScript, plus the account pages' accessibility.

The page fixtures fail any test whose pages log a console error, throw, break
the Content-Security-Policy or ask another host for anything (see conftest.py).
Emails go to django.core.mail.outbox: the live server runs in this process.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from contact.models import ContactMessage
from tests.factories import make_user, make_verified_user

PROMPT = "You need to be logged in to contact us"
SENT = "Your message has been sent"
PASSWORD = "calm-river-stone-42"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+")


@pytest.fixture
def verified_user():
    return make_verified_user(password=PASSWORD)


def field(page, label):
    """The form field labelled `label` (Django's labels may end with a colon)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def expect_verify_first(page, live_server):
    """The gated page answers 403 until the email is verified: that is intended."""
    page.watch.expect_error_status(f"{live_server.url}/contact/", 403)


def log_in(page, live_server, user):
    """Give the page's browser a logged-in session, without the login form."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def path_of(page):
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def assert_leads_back(link, path):
    """The link goes to path with next=/contact/, however it is encoded."""
    href = urlsplit(link.get_attribute("href"))
    assert (href.path, parse_qs(href.query)) == (path, {"next": ["/contact/"]})


def sign_up_and_verify(page, live_server, email, mailoutbox):
    """On the sign-up page: sign up, follow the emailed link and confirm it."""
    expect(page).to_have_url(re.compile(r"/accounts/signup/\?next="))
    field(page, "Email").fill(email)
    field(page, "Password").fill(PASSWORD)
    field(page, "Password (again)").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign up").click()

    # Not logged in before the address is verified (enumeration prevention).
    expect(page).to_have_url(f"{live_server.url}/accounts/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    assert [message.to for message in mailoutbox] == [[email]]
    links = CONFIRM_LINK.findall(mailoutbox[0].body)
    assert len(links) == 1, mailoutbox[0].body
    link = links[0]
    assert link.startswith(live_server.url + "/"), link
    assert parse_qs(urlsplit(link).query) == {"next": ["/contact/"]}, link

    page.goto(link)
    page.get_by_role("main").get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(f"{live_server.url}/contact/")
    assert EmailAddress.objects.get(email=email).verified


def send_contact_message(page, subject, message):
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact us")
    field(page, "Subject").fill(subject)
    field(page, "Message").fill(message)
    page.get_by_role("main").get_by_role("button", name="Send").click()
    expect(page.get_by_role("status").get_by_text(SENT, exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/contact/$"))


def assert_message_stored(email, subject, message):
    stored = ContactMessage.objects.get()
    assert (stored.user.email, stored.subject, stored.message) == (
        email,
        subject,
        message,
    )


def test_visitor_without_javascript_signs_up_from_the_prompt_and_sends_a_message(
    new_page, live_server, mailoutbox
):
    page = new_page(java_script_enabled=False)
    page.goto(live_server.url + "/contact/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(PROMPT)
    assert_leads_back(main.get_by_role("link", name="Login"), "/accounts/login/")
    assert_leads_back(main.get_by_role("link", name="Sign up"), "/accounts/signup/")
    main.get_by_role("link", name="Sign up").click()

    sign_up_and_verify(page, live_server, "no-script@example.com", mailoutbox)
    send_contact_message(page, "A question", "How do I find a specialist?")
    assert_message_stored(
        "no-script@example.com", "A question", "How do I find a specialist?"
    )


def test_visitor_signs_up_from_the_prompt_dialog_and_sends_a_message(
    page, live_server, mailoutbox
):
    home = live_server.url + "/"
    page.goto(home)
    dialog = page.locator("[data-gate-dialog]")
    expect(dialog).to_be_hidden()

    page.get_by_role("contentinfo").get_by_role("link", name="Contact us").click()
    expect(page.get_by_role("dialog", name=PROMPT, exact=True)).to_be_visible()
    expect(dialog.locator("[data-gate-prompt]")).to_have_text(PROMPT)
    expect(page).to_have_url(home)
    assert_leads_back(dialog.get_by_role("link", name="Login"), "/accounts/login/")
    assert_leads_back(dialog.get_by_role("link", name="Sign up"), "/accounts/signup/")
    dialog.get_by_role("link", name="Sign up").click()

    sign_up_and_verify(page, live_server, "dialog@example.com", mailoutbox)
    send_contact_message(page, "Thank you", "The article helped me a lot.")
    assert_message_stored(
        "dialog@example.com", "Thank you", "The article helped me a lot."
    )


def test_verified_user_logs_in_from_the_prompt_and_lands_on_the_form(
    page, live_server, verified_user
):
    page.goto(live_server.url + "/contact/")
    page.get_by_role("main").get_by_role("link", name="Login").click()
    field(page, "Email").fill(verified_user.email)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/contact/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact us")
    expect(field(page, "Message")).to_be_visible()


# Who is looking (nobody, a verified or an unverified user) and where.
AXE_PAGES = {
    "log in": (None, "/accounts/login/"),
    "sign up": (None, "/accounts/signup/"),
    "password reset": (None, "/accounts/password/reset/"),
    "check your email": (None, "/accounts/confirm-email/"),
    "privacy": (None, "/privacy/"),
    "gate": (None, "/contact/"),
    "your data": ("verified", "/account/data/"),
    "contact form": ("verified", "/contact/"),
    "verify first": ("unverified", "/contact/"),
}


@pytest.mark.parametrize("name", AXE_PAGES)
def test_account_page_has_no_wcag_violations(page, axe, live_server, name):
    who, path = AXE_PAGES[name]
    if who == "verified":
        log_in(page, live_server, make_verified_user())
    elif who == "unverified":
        log_in(page, live_server, make_user())
        expect_verify_first(page, live_server)
    page.goto(live_server.url + path)
    assert path_of(page) == path  # not redirected to the login page
    axe(page)


def test_failed_contact_form_focuses_the_error_summary_without_wcag_violations(
    page, axe, live_server, verified_user
):
    log_in(page, live_server, verified_user)
    page.goto(live_server.url + "/contact/")
    field(page, "Subject").fill("Only a subject")
    page.get_by_role("main").get_by_role("button", name="Send").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    errors = summary.get_by_role("link")
    expect(errors).to_have_text(["Message: This field is required."])
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    axe(page)
    assert not ContactMessage.objects.exists()


def test_prompt_dialog_closes_with_escape_and_gives_focus_back(page, axe, live_server):
    home = live_server.url + "/"
    page.goto(home)
    contact = page.get_by_role("contentinfo").get_by_role("link", name="Contact us")
    dialog = page.get_by_role("dialog", name=PROMPT, exact=True)

    contact.focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    focused_in_dialog = "document.activeElement.closest('[data-gate-dialog]') !== null"
    assert page.evaluate(focused_in_dialog)
    axe(page)

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(contact).to_be_focused()
    expect(page).to_have_url(home)

    # Still usable: the keyboard opens the dialog again, and its Close button works.
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(home)
