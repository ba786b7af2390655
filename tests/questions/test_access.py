"""Every questions URL as a visitor, the asker, another user, a specialist and
staff: who gets what, hidden items 404 outside the admin, and the anonymous
asker's name and address never in a public page."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import (
    make_answer,
    make_question,
    make_specialist,
    make_verified_user,
)

from .conftest import ASKER_EMAIL, ASKER_NAME

ROLES = ["visitor", "asker", "other user", "specialist", "staff"]
LOGIN = "login"  # a redirect to the login page


@pytest.fixture
def world(db, asker, topic):
    """An anonymous question with an answer, a hidden answer, a hidden question."""
    question = make_question(
        author=asker, topic=topic, title="A visible anonymous question"
    )
    specialist = make_specialist(user=make_verified_user(), display_name="Rowan Ash")
    staff = make_verified_user(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="questions")
    )
    return {
        "question": question,
        "answer": make_answer(question, specialist=specialist),
        "hidden_answer": make_answer(question, is_hidden=True),
        "hidden_question": make_question(author=asker, topic=topic, is_hidden=True),
        "users": {
            "visitor": None,
            "asker": asker,
            "other user": make_verified_user(),
            "specialist": specialist.user,
            "staff": staff,
        },
    }


def expected(**by_role):
    """One status per role; `others` fills in the roles not named."""
    others = by_role.pop("others", None)
    return [by_role.get(role.replace(" ", "_"), others) for role in ROLES]


# (method, url template, expected status per role in ROLES order)
MATRIX = [
    ("get", "/questions/", expected(others=200)),
    ("get", "/questions/ask/", expected(others=200)),
    ("get", "/questions/{question}/", expected(others=200)),
    ("get", "/questions/{hidden_question}/", expected(others=404)),
    ("get", "/questions/{question}/report/", expected(visitor=LOGIN, others=200)),
    ("get", "/questions/{hidden_question}/report/", expected(others=404)),
    ("get", "/questions/answers/{answer}/report/", expected(visitor=LOGIN, others=200)),
    ("get", "/questions/answers/{hidden_answer}/report/", expected(others=404)),
    (
        "post",
        "/questions/{question}/answer/",
        expected(visitor=LOGIN, specialist=302, others=403),
    ),
    ("post", "/questions/{hidden_question}/answer/", expected(others=404)),
    (
        "post",
        "/questions/answers/{answer}/helpful/",
        expected(visitor=LOGIN, others=302),
    ),
    ("post", "/questions/answers/{hidden_answer}/helpful/", expected(others=404)),
    (
        "post",
        "/questions/answers/{answer}/accept/",
        expected(visitor=LOGIN, asker=302, others=403),
    ),
    ("post", "/questions/answers/{hidden_answer}/accept/", expected(others=404)),
    (
        "post",
        "/questions/answers/{answer}/report/",
        expected(visitor=LOGIN, others=302),
    ),
    ("post", "/questions/answers/{hidden_answer}/report/", expected(others=404)),
    (
        "get",
        "/admin/questions/question/{hidden_question}/change/",
        expected(staff=200, others="admin login"),
    ),
    (
        "get",
        "/admin/questions/answer/{hidden_answer}/change/",
        expected(staff=200, others="admin login"),
    ),
    ("get", "/admin/questions/report/", expected(staff=200, others="admin login")),
]

CASES = [
    pytest.param(method, url, role, status, id=f"{method} {url} as {role}")
    for method, url, statuses in MATRIX
    for role, status in zip(ROLES, statuses, strict=True)
]


@pytest.mark.parametrize("method,url,role,status", CASES)
def test_access(client, world, method, url, role, status):
    if user := world["users"][role]:
        client.force_login(user)
    ids = {
        name: world[name].pk
        for name in ("question", "answer", "hidden_answer", "hidden_question")
    }
    data = {"body": "An answer.", "reason": "A reason."} if method == "post" else {}

    response = getattr(client, method)(url.format(**ids), data)

    if status == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/questions/")
    elif status == "admin login":
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    else:
        assert response.status_code == status
    if not url.startswith("/admin/"):
        content = response.content.decode()
        assert ASKER_NAME not in content
        assert ASKER_EMAIL not in content


def test_only_staff_see_who_asked_an_anonymous_question_in_the_admin(client, world):
    client.force_login(world["users"]["staff"])
    question = world["question"]

    change = client.get(f"/admin/questions/question/{question.pk}/change/")
    listing = client.get("/admin/questions/question/")

    assert ASKER_EMAIL in change.content.decode()
    assert ASKER_EMAIL in listing.content.decode()
