"""Specialists answer; the asker is emailed; nobody else may answer."""

import pytest

from outbox.models import OutboxMessage
from questions.models import Answer
from specialists.models import Specialist
from tests.factories import (
    make_question,
    make_specialist,
    make_staff,
    make_verified_user,
)
from tests.html import parse_html


def answer_url(question):
    return f"/questions/{question.pk}/answer/"


def test_specialist_answer_is_published_and_shown(client, question, specialist):
    client.force_login(specialist.user)

    response = client.post(answer_url(question), {"body": "Write down what happened."})

    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/questions/{question.pk}/#answer-{answer.pk}"
    assert (answer.question, answer.specialist) == (question, specialist)
    page = client.get(response["Location"]).content.decode()
    assert "Your answer has been published." in page
    assert "Write down what happened." in page


def test_asker_is_emailed_after_commit_with_a_neutral_subject(
    client, question, specialist, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(specialist.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer_url(question), {"body": "Write down what happened."})

    (email,) = mailoutbox
    assert email.to == ["zelda.asker@example.org"]
    assert email.subject == "You have a new answer"
    for private in ("harass", "Workplace", "manager", "Write down", "Rowan"):
        assert private.lower() not in email.subject.lower()
        assert private.lower() not in email.body.lower()
    answer = Answer.objects.get()
    assert f"http://testserver/questions/{question.pk}/#answer-{answer.pk}" in (
        email.body
    )
    assert OutboxMessage.objects.get().sent_at is not None


def test_no_email_before_the_answer_has_committed(
    client, question, specialist, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(specialist.user)

    with django_capture_on_commit_callbacks(execute=False):
        client.post(answer_url(question), {"body": "Write down what happened."})

    assert mailoutbox == []
    assert OutboxMessage.objects.get().sent_at is None  # the outbox will retry


def test_no_email_when_the_asker_has_deleted_their_account(
    client, specialist, topic, mailoutbox, django_capture_on_commit_callbacks
):
    question = make_question(author=None, topic=topic)
    client.force_login(specialist.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(answer_url(question), {"body": "Still answered."})

    assert response.status_code == 302
    assert mailoutbox == []


@pytest.mark.parametrize(
    "who",
    ["user", "asker", "staff", "pending specialist", "draft specialist"],
)
def test_anyone_but_an_approved_specialist_is_refused(client, question, asker, who):
    users = {
        "user": lambda: make_verified_user(),
        "asker": lambda: asker,
        "staff": lambda: make_staff(),
        "pending specialist": lambda: (
            make_specialist(status=Specialist.Status.PENDING).user
        ),
        "draft specialist": lambda: (
            make_specialist(status=Specialist.Status.DRAFT).user
        ),
    }
    client.force_login(users[who]())

    response = client.post(answer_url(question), {"body": "Let me answer."})

    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_visitor_posting_an_answer_is_sent_to_log_in(client, question):
    response = client.post(answer_url(question), {"body": "Let me answer."})

    assert response.status_code == 302
    assert response["Location"] == (f"/accounts/login/?next=/questions/{question.pk}/")
    assert not Answer.objects.exists()


def test_answering_needs_a_post(client, question, specialist):
    client.force_login(specialist.user)

    assert client.get(answer_url(question)).status_code == 405


def test_a_hidden_question_cannot_be_answered(client, question, specialist):
    question.is_hidden = True
    question.save()
    client.force_login(specialist.user)

    response = client.post(answer_url(question), {"body": "Too late."})

    assert response.status_code == 404
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "body,error",
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 5001, "at most 5000 characters (it has 5001)"),
        ("nul \x00 byte", "Null characters are not allowed."),
    ],
)
def test_invalid_answer_is_refused_on_the_page_with_the_text_kept(
    client, question, specialist, body, error
):
    client.force_login(specialist.user)

    response = client.post(answer_url(question), {"body": body})

    assert response.status_code == 200
    page = parse_html(response.content)
    assert page.find("h1").text == "How do I talk to my manager?"
    assert error in page.find("div", class_="error-summary").text
    textarea = page.find("textarea", name="body")
    assert textarea.attrs["aria-invalid"] == "true"
    if body.strip() and "\x00" not in body:
        assert textarea.text.strip() == body
    assert not Answer.objects.exists()
