"""Marking an answer helpful (once each) and the asker accepting one."""

import pytest
from django.db import IntegrityError

from questions.models import Answer, Vote
from tests.factories import make_answer, make_staff, make_verified_user
from tests.html import parse_html


def helpful_url(answer):
    return f"/questions/answers/{answer.pk}/helpful/"


def accept_url(answer):
    return f"/questions/answers/{answer.pk}/accept/"


def test_logged_in_user_marks_an_answer_helpful(client, answer):
    client.force_login(make_verified_user())

    response = client.post(helpful_url(answer), follow=True)

    assert Vote.objects.filter(answer=answer).count() == 1
    content = response.content.decode()
    assert "Thank you. You marked this answer as helpful." in content
    item = parse_html(response.content).find("li", id=f"answer-{answer.pk}")
    assert "1 person found this helpful" in item.text
    assert "You found this helpful." in item.text
    assert not item.find_all("form", action=helpful_url(answer))


def test_a_second_vote_does_nothing_and_says_so(client, answer):
    client.force_login(make_verified_user())
    client.post(helpful_url(answer))

    response = client.post(helpful_url(answer), follow=True)

    assert Vote.objects.filter(answer=answer).count() == 1
    assert "You have already marked this answer as helpful." in (
        response.content.decode()
    )


def test_the_database_refuses_a_second_vote(answer, db):
    user = make_verified_user()
    Vote.objects.create(answer=answer, user=user)

    with pytest.raises(IntegrityError):
        Vote.objects.create(answer=answer, user=user)


def test_votes_from_different_users_add_up(client, answer):
    for _ in range(3):
        client.force_login(make_verified_user())
        client.post(helpful_url(answer))

    item = parse_html(client.get(f"/questions/{answer.question_id}/").content).find(
        "li", id=f"answer-{answer.pk}"
    )
    assert "3 people found this helpful" in item.text


def test_a_specialist_cannot_mark_their_own_answer_helpful(client, answer):
    client.force_login(answer.specialist.user)

    response = client.post(helpful_url(answer), follow=True)

    assert not Vote.objects.exists()
    assert "You cannot mark your own answer as helpful." in response.content.decode()


def test_visitor_is_sent_to_log_in_and_back_to_the_question(client, answer):
    response = client.post(helpful_url(answer))

    assert response.status_code == 302
    assert response["Location"] == (
        f"/accounts/login/?next=/questions/{answer.question_id}/"
    )
    assert not Vote.objects.exists()


def test_voting_needs_a_post(client, answer):
    client.force_login(make_verified_user())

    assert client.get(helpful_url(answer)).status_code == 405
    assert not Vote.objects.exists()


def test_hidden_answers_and_answers_to_hidden_questions_cannot_be_voted_on(
    client, question
):
    hidden = make_answer(question, is_hidden=True)
    visible = make_answer(question)
    client.force_login(make_verified_user())

    assert client.post(helpful_url(hidden)).status_code == 404
    question.is_hidden = True
    question.save()
    assert client.post(helpful_url(visible)).status_code == 404
    assert not Vote.objects.exists()


def test_asker_accepts_an_answer_and_can_change_their_mind(client, question, asker):
    first = make_answer(question, body="First.")
    second = make_answer(question, body="Second.")
    client.force_login(asker)

    response = client.post(accept_url(second), follow=True)

    assert "You accepted this answer." in response.content.decode()
    assert list(Answer.objects.filter(is_accepted=True)) == [second]
    client.post(accept_url(first))
    assert list(Answer.objects.filter(is_accepted=True)) == [first]


def test_only_the_asker_sees_the_accept_buttons(client, question, asker, answer):
    accept_forms = {}
    for name, user in (("asker", asker), ("other", make_verified_user())):
        client.force_login(user)
        page = parse_html(client.get(f"/questions/{question.pk}/").content)
        accept_forms[name] = page.find_all("form", action=accept_url(answer))

    assert len(accept_forms["asker"]) == 1
    assert accept_forms["other"] == []


@pytest.mark.parametrize("who", ["other user", "answering specialist", "staff"])
def test_nobody_but_the_asker_can_accept(client, answer, who):
    users = {
        "other user": make_verified_user,
        "answering specialist": lambda: answer.specialist.user,
        "staff": make_staff,
    }
    client.force_login(users[who]())

    response = client.post(accept_url(answer))

    assert response.status_code == 403
    assert not Answer.objects.filter(is_accepted=True).exists()


def test_visitor_cannot_accept(client, answer):
    response = client.post(accept_url(answer))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Answer.objects.filter(is_accepted=True).exists()


def test_the_database_allows_one_accepted_answer_per_question(question):
    make_answer(question, is_accepted=True)

    with pytest.raises(IntegrityError):
        make_answer(question, is_accepted=True)


def test_an_unverified_user_cannot_vote_or_report(client, answer):
    from questions.models import Report
    from tests.factories import make_user

    client.force_login(make_user())

    vote = client.post(f"/questions/answers/{answer.pk}/helpful/")
    report = client.post(f"/questions/answers/{answer.pk}/report/", {"reason": "spam"})

    assert vote.status_code == 403
    assert report.status_code == 403
    assert not Vote.objects.exists()
    assert not Report.objects.exists()
