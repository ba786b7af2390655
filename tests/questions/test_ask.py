"""Asking a question at /questions/ask/: the gate, the form, the daily limit."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from questions.models import Question
from tests.factories import make_user, make_verified_user
from tests.html import parse_html

URL = "/questions/ask/"
PROMPT = "To create a new Question, please log in or create an account"


def valid_data(topic, **overrides):
    data = {
        "title": "How do I talk to my manager?",
        "body": "It started months ago.",
        "topic": topic.pk,
        "is_anonymous": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def user_client(client, db):
    user = make_verified_user()
    client.force_login(user)
    client.user = user
    return client


def test_visitor_is_asked_to_log_in_with_links_that_come_back(client, db):
    response = client.get(URL)

    assert response.status_code == 200
    page = parse_html(response.content)
    assert page.find("h1").text == PROMPT
    for name, path in (("Login", "/accounts/login/"), ("Sign up", "/accounts/signup/")):
        link = next(a for a in page.find_all("a") if a.text.strip() == name)
        href = urlsplit(link.attrs["href"])
        assert (href.path, parse_qs(href.query)) == (path, {"next": [URL]})


def test_visitor_posting_creates_nothing(client, topic):
    response = client.post(URL, valid_data(topic))

    assert PROMPT in response.content.decode()
    assert not Question.objects.exists()


def test_unverified_user_is_asked_to_verify_first(client, topic):
    client.force_login(make_user())

    response = client.post(URL, valid_data(topic))

    assert response.status_code == 403
    assert "Please verify your email address" in response.content.decode()
    assert not Question.objects.exists()


def test_form_is_anonymous_by_default(user_client, topic):
    response = user_client.get(URL)

    page = parse_html(response.content)
    box = page.find("input", name="is_anonymous")
    assert "checked" in box.attrs
    assert response.context["section"] == "questions"


def test_asking_publishes_the_question_and_shows_it(user_client, topic):
    response = user_client.post(URL, valid_data(topic), follow=True)

    question = Question.objects.get()
    assert response.redirect_chain == [(f"/questions/{question.pk}/", 302)]
    assert (question.author, question.topic, question.is_anonymous) == (
        user_client.user,
        topic,
        True,
    )
    content = response.content.decode()
    assert "Your question has been published." in content
    assert "How do I talk to my manager?" in content


def test_line_breaks_are_stored_one_way_before_the_length_is_counted(
    user_client, topic
):
    body = "a\r\n" * 2500  # 5,000 characters in the browser, 7,500 as sent

    response = user_client.post(URL, valid_data(topic, body=body))

    assert response.status_code == 302
    assert Question.objects.get().body == "a\n" * 2499 + "a"


def test_unticking_anonymous_shows_the_account_name(client, topic):
    client.force_login(make_verified_user(name="Robin"))
    data = valid_data(topic)
    del data["is_anonymous"]

    response = client.post(URL, data, follow=True)

    assert Question.objects.get().is_anonymous is False
    assert "Asked by Robin" in response.content.decode()


@pytest.mark.parametrize(
    "field,value,error",
    [
        ("title", "Too short", "at least 10 characters (it has 9)"),
        ("title", "x" * 151, "at most 150 characters (it has 151)"),
        ("title", "          ", "This field is required."),
        ("body", "", "This field is required."),
        ("body", "x" * 5001, "at most 5000 characters (it has 5001)"),
        ("topic", "", "This field is required."),
        ("topic", "999999", "Select a valid choice."),
        ("title", "Null byte \x00 inside", "Null characters are not allowed."),
    ],
)
def test_invalid_fields_are_refused_and_the_text_kept(
    user_client, topic, field, value, error
):
    data = {**valid_data(topic, body="My details stay here."), field: value}

    response = user_client.post(URL, data)

    assert response.status_code == 200
    page = parse_html(response.content)
    assert error in page.find("div", class_="error-summary").text
    assert page.find(name=field).attrs["aria-invalid"] == "true"
    if field != "body":
        assert (
            page.find("textarea", name="body").text.strip() == "My details stay here."
        )
    assert not Question.objects.exists()


def test_ten_questions_a_day_then_a_clear_refusal_that_keeps_the_text(
    user_client, topic
):
    for n in range(10):
        response = user_client.post(
            URL, valid_data(topic, title=f"Question number {n}")
        )
        assert response.status_code == 302

    eleventh = user_client.post(
        URL, valid_data(topic, title="The eleventh question", body="Please keep me")
    )

    assert eleventh.status_code == 429
    assert 0 < int(eleventh["Retry-After"]) <= 24 * 3600
    page = parse_html(eleventh.content)
    assert (
        "10 questions in the last 24 hours"
        in page.find("div", class_="error-summary").text
    )
    assert page.find("input", name="title").attrs["value"] == "The eleventh question"
    assert page.find("textarea", name="body").text.strip() == "Please keep me"
    assert Question.objects.count() == 10


def test_hidden_questions_count_towards_the_limit(user_client, topic):
    for n in range(10):
        user_client.post(URL, valid_data(topic, title=f"Question number {n}"))
    Question.objects.update(is_hidden=True)

    response = user_client.post(URL, valid_data(topic))

    assert response.status_code == 429


def test_questions_older_than_a_day_do_not_count(user_client, topic, clock):
    for n in range(10):
        user_client.post(URL, valid_data(topic, title=f"Question number {n}"))
    clock.advance(hours=25)
    # A day without a request ends a session (SESSION_COOKIE_AGE): log in again.
    user_client.force_login(user_client.user)

    response = user_client.post(URL, valid_data(topic))

    assert response.status_code == 302
    assert Question.objects.count() == 11


def test_another_users_questions_do_not_count(user_client, topic):
    other = Client()
    other.force_login(make_verified_user())
    for n in range(10):
        other.post(URL, valid_data(topic, title=f"Question number {n}"))

    response = user_client.post(URL, valid_data(topic))

    assert response.status_code == 302
