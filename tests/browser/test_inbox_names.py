"""A person chooses the name a specialist sees; the specialist's inbox tells
people apart by that name, or by each conversation's pseudonym."""

import re

import pytest
from playwright.sync_api import expect

from messaging.models import Conversation
from tests.factories import make_conversation, make_specialist, make_verified_user

from .test_accounts_journey import log_in
from .test_demo_journey import VIEWPORTS, WITH_AND_WITHOUT_JS


@pytest.fixture
def inbox(transactional_db):
    specialist = make_specialist(
        user=make_verified_user(email="rowan@example.org"),
        slug="rowan",
        display_name="Rowan Example",
    )
    quiet = make_conversation(
        user=make_verified_user(email="quiet@example.org"), specialist=specialist
    )
    person = make_verified_user(email="person@example.org")
    make_conversation(user=person, specialist=specialist)
    return specialist, person, quiet


@VIEWPORTS
@WITH_AND_WITHOUT_JS
def test_a_chosen_name_and_a_pseudonym_in_the_specialists_inbox(
    new_page, live_server, check_page, inbox, viewport, javascript
):
    specialist, person, quiet = inbox
    page = new_page(viewport=viewport, java_script_enabled=javascript)
    log_in(page, live_server, person)
    page.goto(f"{live_server.url}/account/data/")
    page.get_by_role("navigation", name="Your account").get_by_role(
        "link", name="Your name"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your name")
    check_page(page, javascript, viewport)

    page.get_by_label("Your name").fill("sam@example.org")
    page.get_by_role("button", name="Save name").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "This looks like an email address."
    )
    check_page(page, javascript, viewport)
    page.get_by_label("Your name").fill("Sam")
    page.get_by_role("button", name="Save name").click()
    expect(
        page.get_by_role("status").filter(has_text="Your name has been saved.")
    ).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Sam")

    other = new_page(viewport=viewport, java_script_enabled=javascript)
    log_in(other, live_server, specialist.user)
    other.goto(f"{live_server.url}/messages/")
    pseudonym = f"Visitor {quiet.visitor_number}"
    rows = other.locator(".conversation-row")
    expect(rows.get_by_role("link")).to_have_text(
        [re.compile(r"^(Sam|Visitor \d{4})$")] * 2
    )
    expect(other.get_by_role("link", name="Sam", exact=True)).to_be_visible()
    expect(other.get_by_role("link", name=pseudonym, exact=True)).to_be_visible()
    expect(other.locator("main")).not_to_contain_text("@example.org")
    check_page(other, javascript, viewport)

    other.get_by_role("link", name="Sam", exact=True).click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Messages with Sam")
    named = Conversation.objects.get(user=person)
    expect(other.locator("main")).to_contain_text(
        f"Reference: Visitor {named.visitor_number}."
    )
    check_page(other, javascript, viewport)
