"""The public list at /questions/: what is listed, filters, pages, queries."""

import pytest
from django.utils import timezone

from core.models import Topic
from tests.factories import make_answer, make_question, make_verified_user
from tests.html import parse_html

URL = "/questions/"


def titles(response):
    assert response.status_code == 200
    page = parse_html(response.content)
    return [
        card.find("h2").text.strip()
        for card in page.find_all("li", class_="question-card")
    ]


@pytest.fixture
def topics(db):
    return {
        slug: Topic.objects.create(name=slug.title(), slug=slug)
        for slug in ("online", "workplace")
    }


def test_published_questions_are_listed_newest_first(client, db):
    now = timezone.now()
    make_question(title="The oldest question", created_at=now - timezone.timedelta(2))
    make_question(title="The newest question", created_at=now)
    make_question(title="A hidden question", is_hidden=True)
    make_question(title="The middle question", created_at=now - timezone.timedelta(1))

    response = client.get(URL)

    assert titles(response) == [
        "The newest question",
        "The middle question",
        "The oldest question",
    ]
    assert response.context["section"] == "questions"
    nav = parse_html(response.content).find("a", aria_current="page")
    assert nav.text == "Questions"


def test_each_card_counts_only_visible_answers(client, db):
    question = make_question(title="Answered question")
    make_answer(question)
    make_answer(question)
    make_answer(question, is_hidden=True)

    response = client.get(URL)

    card = parse_html(response.content).find("li", class_="question-card")
    assert "2 answers" in card.text


def test_topic_filter(client, topics):
    make_question(title="About online abuse", topic=topics["online"])
    make_question(title="About the office", topic=topics["workplace"])

    response = client.get(URL, {"topic": "online"})

    assert titles(response) == ["About online abuse"]


def test_search_needs_every_word_in_title_or_details(client, db):
    make_question(title="Panic before meetings", body="My colleague shouts.")
    make_question(title="Sleeping badly again", body="Since the messages began.")
    make_question(title="Panic in the street", body="Nothing to do with work.")

    response = client.get(URL, {"q": "panic colleague"})

    assert titles(response) == ["Panic before meetings"]


def test_search_finds_nothing_and_says_so(client, db):
    make_question(title="Panic before meetings")

    response = client.get(URL, {"q": "zebra"})

    assert titles(response) == []
    assert "No questions match." in response.content.decode()


def test_twenty_a_page_and_the_links_keep_the_filters(client, topics):
    for n in range(25):
        make_question(title=f"Online question {n:02}", topic=topics["online"])
    make_question(title="Workplace question", topic=topics["workplace"])

    first = client.get(URL, {"topic": "online"})
    second = client.get(URL, {"topic": "online", "page": "2"})

    assert len(titles(first)) == 20
    assert len(titles(second)) == 5
    next_link = parse_html(first.content).find("a", rel="next")
    assert next_link.attrs["href"] == "?topic=online&page=2"
    assert "25 questions" in first.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "999"},
        {"page": "-1"},
        {"topic": "no-such-topic"},
        {"topic": "<script>alert(1)</script>"},
        {"q": "x" * 1000},
        {"q": "<script>alert(1)</script>"},
        {"q": "%", "topic": ["a", "b"]},
    ],
)
def test_bad_query_strings_never_fail(client, db, params):
    make_question(title="Still listed question")

    response = client.get(URL, params)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_nul_byte_in_the_query_string_is_a_400(client, db):
    # core.middleware.refuse_nul_bytes: PostgreSQL refuses NUL in text.
    assert client.get(URL, {"q": "nul\x00byte"}).status_code == 400


def test_an_invalid_filter_is_reported_and_the_other_still_applies(client, topics):
    make_question(title="Panic online", topic=topics["online"])
    make_question(title="Calm online", topic=topics["online"])

    response = client.get(URL, {"q": "panic", "topic": "no-such-topic"})

    assert titles(response) == ["Panic online"]
    summary = parse_html(response.content).find("div", class_="error-summary")
    assert "Select a valid choice." in summary.text


def test_the_filter_form_works_without_javascript(client, topics):
    page = parse_html(client.get(URL).content)

    form = page.find("form", role="search")
    assert (form.attrs["method"], form.attrs["action"]) == ("get", URL)
    assert {
        el.attrs["name"] for el in form.find_all("input") + form.find_all("select")
    } >= {
        "q",
        "topic",
    }


def test_ask_link_opens_the_login_prompt_for_visitors(client, db):
    page = parse_html(client.get(URL).content)

    link = page.find("a", href="/questions/ask/")
    assert link.attrs["data-gate"] == (
        "To create a new Question, please log in or create an account"
    )


@pytest.mark.parametrize("count", [1, 30])
def test_list_queries_stay_flat_for_visitors(
    client, topics, django_assert_max_num_queries, count
):
    for n in range(count):
        question = make_question(title=f"Question number {n}", topic=topics["online"])
        make_answer(question)

    with django_assert_max_num_queries(6):
        response = client.get(URL)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_list_queries_stay_flat_for_logged_in_users(
    client, topics, django_assert_max_num_queries, count
):
    for n in range(count):
        question = make_question(
            title=f"Question number {n}", topic=topics["online"], is_anonymous=False
        )
        make_answer(question)
    client.force_login(make_verified_user())

    # One of them is the account menu's: has this user a specialist profile?
    with django_assert_max_num_queries(7):
        response = client.get(URL, {"q": "question", "topic": "online"})

    assert len(titles(response)) == min(count, 20)
