"""A person writes to a specialist; the specialist sees it waiting and replies."""

import re

import pytest
from playwright.sync_api import expect

from messaging.models import Conversation, Message
from tests.browser.test_accounts_journey import log_in
from tests.factories import make_specialist, make_verified_user


@pytest.fixture
def pair(transactional_db):
    person = make_verified_user(email="person@example.org", name="Sam")
    specialist = make_specialist(
        user=make_verified_user(email="rowan@example.org"),
        slug="rowan",
        display_name="Rowan Example",
    )
    return person, specialist


def test_person_messages_a_specialist_who_sees_it_unread_and_replies(
    page, new_page, axe, live_server, pair
):
    person, specialist = pair
    log_in(page, live_server, person)
    page.goto(f"{live_server.url}/specialists/rowan/")
    page.get_by_role("link", name="Send message").click()
    page.get_by_label("Message").fill("Hello Rowan,\nmay I ask about your approach?")
    page.get_by_role("button", name="Send message").click()

    expect(
        page.get_by_role("status").filter(has_text="Your message has been sent")
    ).to_be_visible()
    expect(page.locator(".message-body")).to_contain_text(
        "may I ask about your approach?"
    )
    axe(page)

    other = new_page()
    log_in(other, live_server, specialist.user)
    other.goto(f"{live_server.url}/")
    messages_link = other.get_by_role("link", name=re.compile(r"^Messages"))
    expect(messages_link.locator(".count")).to_have_text(re.compile(r"^1"))
    messages_link.click()
    axe(other)
    other.get_by_role("link", name="Sam").click()
    expect(other.locator(".message-body")).to_contain_text(
        "may I ask about your approach?"
    )
    other.get_by_role("textbox", name="Message:").fill("Of course. Here is how I work.")
    other.get_by_role("button", name="Send reply").click()

    expect(
        other.get_by_role("status").filter(has_text="Your message has been sent")
    ).to_be_visible()
    expect(
        other.get_by_role("link", name=re.compile(r"^Messages")).locator(".count")
    ).to_have_count(0)
    axe(other)
    conversation = Conversation.objects.get()
    assert list(
        Message.objects.filter(conversation=conversation).values_list("body", flat=True)
    ) == [
        "Hello Rowan,\nmay I ask about your approach?",
        "Of course. Here is how I work.",
    ]


def test_anonymous_visitor_gets_the_prompt_in_a_dialog(page, live_server, pair):
    page.goto(f"{live_server.url}/specialists/rowan/")
    page.get_by_role("link", name="Send message").click()

    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("You need to be logged in to send messages")
    assert page.url == f"{live_server.url}/specialists/rowan/"
