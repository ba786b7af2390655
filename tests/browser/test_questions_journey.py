"""Questions in a real browser: a user asks anonymously, a specialist answers,
the asker is emailed, comes back and marks the answer helpful; the list, a
question and the ask form pass axe.

The page fixtures fail any test whose pages log a console error, throw, break
the Content-Security-Policy or ask another host for anything (see conftest.py).
"""

import json
import re

import pytest
from playwright.sync_api import expect

from core.models import Topic
from questions.models import Answer, Question, Vote
from tests.browser.test_accounts_journey import field, log_in
from tests.factories import (
    make_bookable_specialist,
    make_specialist,
    make_verified_user,
)

ASKER_NAME = "Zelda Quillfeather"
TITLE = "How do I talk to my manager about it?"
DETAILS = "It started months ago.\nI do not know where to begin."
ANSWER = (
    "Start by writing down what happened, with dates.\nSee https://example.org/help"
)


@pytest.fixture
def people(transactional_db):
    Topic.objects.create(name="Workplace harassment", slug="workplace")
    Topic.objects.create(name="Online harassment", slug="online")
    asker = make_verified_user(email="zelda@example.org", name=ASKER_NAME)
    specialist = make_bookable_specialist(
        user=make_verified_user(email="rowan@example.org"),
        slug="rowan",
        display_name="Rowan Example",
        offers_free_consultation=True,
    )
    return asker, specialist


def ask_a_question(page, live_server):
    page.goto(f"{live_server.url}/questions/")
    page.get_by_role("main").get_by_role("link", name="Ask a question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask a question")
    field(page, "Your question").fill(TITLE)
    field(page, "Details").fill(DETAILS)
    field(page, "Topic").select_option(label="Workplace harassment")
    expect(field(page, "Post anonymously")).to_be_checked()
    page.get_by_role("button", name="Publish the question").click()
    expect(
        page.get_by_role("status").filter(has_text="Your question has been published.")
    ).to_be_visible()


def test_asked_anonymously_answered_by_a_specialist_and_marked_helpful(
    page, new_page, axe, live_server, people, mailoutbox
):
    asker, specialist = people
    log_in(page, live_server, asker)
    ask_a_question(page, live_server)
    question = Question.objects.get()
    assert (question.author, question.is_anonymous, question.body) == (
        asker,
        True,
        DETAILS,
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text("Asked anonymously")

    # The specialist finds it in the list and answers.
    other = new_page()
    log_in(other, live_server, specialist.user)
    other.goto(f"{live_server.url}/questions/")
    other.get_by_role("link", name=TITLE).click()
    main = other.get_by_role("main")
    expect(main).not_to_contain_text(ASKER_NAME)
    field(other, "Your answer").fill(ANSWER)
    other.get_by_role("button", name="Publish the answer").click()
    expect(
        other.get_by_role("status").filter(has_text="Your answer has been published.")
    ).to_be_visible()
    answer = Answer.objects.get()
    assert answer.body == ANSWER
    link = main.locator(f"#answer-{answer.pk}").get_by_role(
        "link", name="https://example.org/help"
    )
    expect(link).to_have_attribute("rel", "nofollow ugc noopener")

    # The asker is told, without the question in the email, and comes back.
    (email,) = mailoutbox
    assert email.to == ["zelda@example.org"]
    assert "manager" not in email.subject + email.body
    url = re.search(r"http://\S+/questions/\d+/#answer-\d+", email.body).group(0)
    page.goto(f"{live_server.url}/")  # elsewhere meanwhile
    page.goto(url)
    item = page.locator(f"#answer-{answer.pk}")
    expect(item).to_contain_text("Start by writing down what happened")
    expect(
        item.get_by_role("link", name="Rowan Example", exact=True)
    ).to_have_attribute("href", "/specialists/rowan/")
    expect(
        item.get_by_role("link", name="Book a free consultation with Rowan Example")
    ).to_have_attribute("href", "/specialists/rowan/book/")
    item.get_by_role("button", name=re.compile(r"^Helpful")).click()
    expect(
        page.get_by_role("status").filter(
            has_text="Thank you. You marked this answer as helpful."
        )
    ).to_be_visible()
    item = page.locator(f"#answer-{answer.pk}")
    expect(item).to_contain_text("1 person found this helpful")
    expect(item).to_contain_text("You found this helpful.")
    assert Vote.objects.get().user == asker

    # The page's JSON-LD never names the anonymous asker.
    data = json.loads(
        other.locator('script[type="application/ld+json"]').text_content()
    )
    assert data["@type"] == "QAPage"
    assert "author" not in data["mainEntity"]
    assert ASKER_NAME not in json.dumps(data)


def test_visitor_asking_gets_the_login_prompt_in_a_dialog(page, live_server, people):
    page.goto(f"{live_server.url}/questions/")
    page.get_by_role("main").get_by_role("link", name="Ask a question").click()

    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(
        "To create a new Question, please log in or create an account"
    )
    expect(dialog.get_by_role("link", name="Login")).to_have_attribute(
        "href", "/accounts/login/?next=%2Fquestions%2Fask%2F"
    )


def test_search_form_works_without_javascript(new_page, live_server, people):
    asker, specialist = people
    Question.objects.create(
        author=asker,
        title="Panic before every meeting",
        body="My colleague shouts.",
        topic=Topic.objects.get(slug="workplace"),
    )
    Question.objects.create(
        author=asker,
        title="Messages at night again",
        body="Strangers write to me.",
        topic=Topic.objects.get(slug="online"),
    )
    page = new_page(java_script_enabled=False)
    page.goto(f"{live_server.url}/questions/")

    search = page.get_by_role("search", name="Search questions")
    search.get_by_label("Topic").select_option(label="Online harassment")
    search.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/questions/\?q=&topic=online$"))
    cards = page.get_by_role("main").locator(".question-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Messages at night again")


def test_list_question_and_ask_form_pass_axe(
    page, axe, live_server, people, django_user_model
):
    asker, specialist = people
    question = Question.objects.create(
        author=asker,
        title=TITLE,
        body=DETAILS,
        topic=Topic.objects.get(slug="workplace"),
    )
    Answer.objects.create(question=question, specialist=specialist, body=ANSWER)
    Answer.objects.create(
        question=question, specialist=make_specialist(), body="Another view."
    )

    page.goto(f"{live_server.url}/questions/")
    axe(page)
    page.goto(f"{live_server.url}/questions/{question.pk}/")
    axe(page)

    log_in(page, live_server, asker)
    page.goto(f"{live_server.url}/questions/{question.pk}/")  # with vote and accept
    axe(page)
    page.goto(f"{live_server.url}/questions/ask/")
    axe(page)
    page.get_by_role("button", name="Publish the question").click()  # with errors
    expect(page.locator("[data-error-summary]")).to_be_focused()
    axe(page)

    log_in(page, live_server, specialist.user)
    page.goto(f"{live_server.url}/questions/{question.pk}/")  # with the answer form
    axe(page)
