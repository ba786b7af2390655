"""Who may learn who asked; "Your data"; what deleting an account leaves."""

import json

import pytest

from questions.models import Answer, Question, Report, Vote
from tests.factories import (
    make_answer,
    make_question,
    make_specialist,
    make_verified_user,
)
from tests.html import parse_html

from .conftest import ASKER_EMAIL, ASKER_NAME

PASSWORD = "a-long-test-password"


def public_pages(client, question):
    """The list, the page and its JSON-LD, as text."""
    detail = client.get(f"/questions/{question.pk}/")
    (script,) = parse_html(detail.content).find_all(
        "script", type="application/ld+json"
    )
    return {
        "list": client.get("/questions/").content.decode(),
        "page": detail.content.decode(),
        "json-ld": script.text,
    }


def test_an_anonymous_askers_name_and_address_reach_no_one(client, question, answer):
    viewers = [
        None,
        make_verified_user(),
        answer.specialist.user,
        make_verified_user(is_staff=True, is_superuser=True),
    ]
    for viewer in viewers:
        client.logout()
        if viewer:
            client.force_login(viewer)

        for where, text in public_pages(client, question).items():
            assert ASKER_NAME not in text, (viewer, where)
            assert ASKER_EMAIL not in text, (viewer, where)
            assert "zelda" not in text.lower(), (viewer, where)
        assert "Asked anonymously" in public_pages(client, question)["page"]


def test_a_named_question_shows_the_name_but_never_the_address(client, asker, topic):
    question = make_question(author=asker, topic=topic, is_anonymous=False)

    pages = public_pages(client, question)

    assert f"Asked by {ASKER_NAME}" in pages["page"]
    assert f"Asked by {ASKER_NAME}" in pages["list"]
    assert ASKER_NAME in pages["json-ld"]
    for text in pages.values():
        assert ASKER_EMAIL not in text


def test_a_named_question_from_an_account_without_a_name_shows_no_address(
    client, topic
):
    author = make_verified_user(email="no.name@example.org", name="")
    question = make_question(author=author, topic=topic, is_anonymous=False)

    pages = public_pages(client, question)

    for text in pages.values():
        assert "no.name@example.org" not in text
    assert "Asked anonymously" in pages["page"]


def test_only_the_asker_is_told_it_is_their_question(client, question, asker):
    client.force_login(asker)
    mine = client.get(f"/questions/{question.pk}/").content.decode()
    client.force_login(make_verified_user())
    theirs = client.get(f"/questions/{question.pk}/").content.decode()

    assert "You asked this question." in mine
    assert "You asked this question." not in theirs


@pytest.fixture
def voted_and_reported(asker, question, answer):
    """The asker voted and reported; the specialist answered."""
    Vote.objects.create(answer=answer, user=asker)
    Report.objects.create(question=question, reporter=asker, reason="My own typo.")


@pytest.mark.usefixtures("voted_and_reported")
def test_your_data_lists_questions_votes_and_reports(client, question, answer, asker):
    client.force_login(asker)

    content = client.get("/account/data/").content.decode()

    for shown in (
        "Your questions",
        "How do I talk to my manager?",
        "I do not know where to begin.",
        "Answers you found helpful",
        "Your reports about questions and answers",
        "My own typo.",
    ):
        assert shown in content


def test_your_data_lists_a_specialists_answers(client, answer):
    client.force_login(answer.specialist.user)

    data = json.loads(client.get("/account/data/download/").content)

    assert data["Your answers"] == [
        {
            "question": "How do I talk to my manager?",
            "answer": "Start by writing it down.",
            "hidden by our team": False,
            "answered": answer.created_at.isoformat(),
        }
    ]


@pytest.mark.usefixtures("voted_and_reported")
def test_download_has_questions_votes_and_reports(client, question, answer, asker):
    client.force_login(asker)

    data = json.loads(client.get("/account/data/download/").content)

    (mine,) = data["Your questions"]
    assert mine["question"] == "How do I talk to my manager?"
    assert mine["topic"] == "Workplace harassment"
    assert mine["anonymous"] is True
    assert data["Answers you found helpful"][0]["question"] == question.title
    assert data["Your reports about questions and answers"][0]["reason"] == (
        "My own typo."
    )


@pytest.mark.usefixtures("voted_and_reported")
def test_deleting_the_askers_account_keeps_the_question_unsigned(
    client, question, answer, asker
):
    question.is_anonymous = False
    question.save()
    client.force_login(asker)

    client.post("/account/delete/", {"password": PASSWORD})

    kept = Question.objects.get()
    assert kept.author is None
    assert Answer.objects.get().question == kept
    assert not Vote.objects.exists()
    assert not Report.objects.exists()
    page = client.get(f"/questions/{question.pk}/").content.decode()
    assert "Asked anonymously" in page
    assert ASKER_NAME not in page


def test_deleting_a_specialists_account_keeps_the_answer_unsigned(client, question):
    specialist = make_specialist(user=make_verified_user(), display_name="Gone Soon")
    make_answer(question, specialist=specialist, body="Advice that stays.")
    client.force_login(specialist.user)

    client.post("/account/delete/", {"password": PASSWORD})

    assert Answer.objects.get().specialist is None
    page = client.get(f"/questions/{question.pk}/").content.decode()
    assert "Advice that stays." in page
    assert "A specialist who has left the site" in page
    assert "Gone Soon" not in page


def test_deleting_a_voters_account_removes_their_votes_and_reports(client, answer):
    voter = make_verified_user()
    Vote.objects.create(answer=answer, user=voter)
    Report.objects.create(answer=answer, reporter=voter, reason="Why not.")
    client.force_login(voter)

    client.post("/account/delete/", {"password": PASSWORD})

    assert not Vote.objects.exists()
    assert not Report.objects.exists()
    assert Answer.objects.exists()
