"""Reports from logged-in users; staff hide and restore in the admin."""

import pytest

from questions.models import Answer, Question, Report
from tests.factories import make_answer, make_verified_user
from tests.html import parse_html

QUESTIONS_ADMIN = "/admin/questions/question/"
ANSWERS_ADMIN = "/admin/questions/answer/"
REPORTS_ADMIN = "/admin/questions/report/"


@pytest.fixture
def reporter(client, db):
    user = make_verified_user()
    client.force_login(user)
    return user


def test_logged_in_user_reports_a_question_with_a_reason(client, question, reporter):
    form = client.get(f"/questions/{question.pk}/report/")
    assert form.status_code == 200
    assert parse_html(form.content).find("textarea", name="reason")

    response = client.post(
        f"/questions/{question.pk}/report/", {"reason": "It names a person."}
    )

    assert response["Location"] == f"/questions/{question.pk}/"
    report = Report.objects.get()
    assert (report.question, report.answer, report.reporter, report.reason) == (
        question,
        None,
        reporter,
        "It names a person.",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Thank you. Our team will look at it." in page


def test_logged_in_user_reports_an_answer(client, answer, reporter):
    response = client.post(
        f"/questions/answers/{answer.pk}/report/", {"reason": "Advertising."}
    )

    assert response["Location"] == (
        f"/questions/{answer.question_id}/#answer-{answer.pk}"
    )
    report = Report.objects.get()
    assert (report.question, report.answer) == (None, answer)


@pytest.mark.parametrize(
    "reason,error",
    [
        ("", "This field is required."),
        ("x" * 501, "at most 500 characters (it has 501)"),
    ],
)
def test_a_report_needs_a_reason_of_sensible_length(
    client, question, reporter, reason, error
):
    response = client.post(f"/questions/{question.pk}/report/", {"reason": reason})

    assert response.status_code == 200
    assert (
        error in parse_html(response.content).find("div", class_="error-summary").text
    )
    assert not Report.objects.exists()


def test_report_links_are_shown_to_logged_in_users_only(client, question, answer):
    links = (
        f"/questions/{question.pk}/report/",
        f"/questions/answers/{answer.pk}/report/",
    )
    visitor_page = client.get(f"/questions/{question.pk}/").content.decode()
    client.force_login(make_verified_user())
    user_page = client.get(f"/questions/{question.pk}/").content.decode()

    for link in links:
        assert link not in visitor_page
        assert link in user_page


def test_visitor_is_sent_to_log_in_before_reporting(client, question):
    response = client.post(f"/questions/{question.pk}/report/", {"reason": "Spam."})

    assert response["Location"] == (
        f"/accounts/login/?next=/questions/{question.pk}/report/"
    )
    assert not Report.objects.exists()


def test_staff_hide_and_restore_questions_with_admin_actions(
    admin_client, client, question
):
    response = admin_client.post(
        QUESTIONS_ADMIN,
        {"action": "hide", "_selected_action": [question.pk]},
        follow=True,
    )

    assert "1 item hidden." in response.content.decode()
    assert client.get(f"/questions/{question.pk}/").status_code == 404
    assert question.title not in client.get("/questions/").content.decode()
    assert (
        admin_client.get(f"{QUESTIONS_ADMIN}{question.pk}/change/").status_code == 200
    )

    admin_client.post(
        QUESTIONS_ADMIN, {"action": "restore", "_selected_action": [question.pk]}
    )

    assert client.get(f"/questions/{question.pk}/").status_code == 200


def test_staff_hide_and_restore_answers_with_admin_actions(
    admin_client, client, answer
):
    page = f"/questions/{answer.question_id}/"

    admin_client.post(
        ANSWERS_ADMIN, {"action": "hide", "_selected_action": [answer.pk]}
    )

    assert Answer.objects.get().is_hidden
    assert "Start by writing it down." not in client.get(page).content.decode()
    admin_client.post(
        ANSWERS_ADMIN, {"action": "restore", "_selected_action": [answer.pk]}
    )
    assert "Start by writing it down." in client.get(page).content.decode()


def test_staff_hide_reported_items_from_the_reports_list(
    admin_client, question, reporter
):
    answer = make_answer(question)
    on_question = Report.objects.create(
        question=question, reporter=reporter, reason="a"
    )
    on_answer = Report.objects.create(answer=answer, reporter=reporter, reason="b")

    listing = admin_client.get(REPORTS_ADMIN).content.decode()
    assert f"{QUESTIONS_ADMIN}{question.pk}/change/" in listing
    assert f"{ANSWERS_ADMIN}{answer.pk}/change/" in listing

    response = admin_client.post(
        REPORTS_ADMIN,
        {"action": "hide_reported", "_selected_action": [on_question.pk, on_answer.pk]},
        follow=True,
    )

    assert "2 items hidden." in response.content.decode()
    assert Question.objects.get().is_hidden
    assert Answer.objects.get().is_hidden
    assert not Report.objects.filter(resolved=False).exists()


def test_staff_find_hidden_items_in_the_admin(admin_client, question):
    Question.objects.update(is_hidden=True)

    response = admin_client.get(QUESTIONS_ADMIN, {"is_hidden__exact": "1"})

    assert question.title in response.content.decode()


def test_people_who_are_not_staff_cannot_reach_the_admin(client, question, reporter):
    response = client.get(QUESTIONS_ADMIN)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
