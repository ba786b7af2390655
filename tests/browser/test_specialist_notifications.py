"""The specialist's email notifications page in a real browser, on a phone and
a desktop, with and without JavaScript: axe finds nothing before and after a
save, and the switch the specialist turned off stays off."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from specialists.models import Specialist
from tests.factories import make_specialist, make_verified_user

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


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


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_specialist_turns_message_emails_off_on_the_notifications_page(
    new_page, live_server, check_page, transactional_db, viewport, javascript
):
    user = make_verified_user(email="rowan@example.org")
    make_specialist(user=user, slug="rowan", display_name="Rowan Example")
    page = new_page(viewport=viewport, java_script_enabled=javascript)
    log_in(page, live_server, user)

    page.goto(f"{live_server.url}/specialists/me/notifications/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Email notifications")
    messages = page.get_by_role("checkbox", name="New messages")
    expect(messages).to_be_checked()
    expect(page.get_by_role("checkbox", name="Review of my profile")).to_be_checked()
    check_page(page, javascript)

    messages.uncheck()
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".messages")).to_contain_text(
        "Your email settings have been saved."
    )
    expect(page.get_by_role("checkbox", name="New messages")).not_to_be_checked()
    check_page(page, javascript)
    specialist = Specialist.objects.get(slug="rowan")
    assert (specialist.email_new_messages, specialist.email_review_updates) == (
        False,
        True,
    )
