"""Hostile text in every field is shown inert: escaped, never run, no link to
javascript: or data:, and typed web addresses become links that pass nothing on."""

import pytest

from questions.models import Answer, Question, Report
from tests.factories import make_question, make_verified_user
from tests.html import parse_html

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click me</a>',
    "[x](javascript:alert(1)) and [y](JaVaScRiPt:alert(1))",
    "javascript&#58;alert(1) javascript:alert(1)",
    '<a href="data:text/html,<script>alert(1)</script>">data link</a>',
    "<iframe srcdoc='<script>alert(1)</script>'>",
    "<style>@import url(https://evil.example/x.css);</style>",
    "autolink <javascript:alert(1)>",
    'https://example.org/"onmouseover="alert(1)',
]
DANGEROUS_TAGS = {"iframe", "svg", "style", "object", "embed", "img"}


def assert_inert(content, payload, *, tags=DANGEROUS_TAGS):
    """Nothing in the page runs, styles or links to script; the text is shown.
    (The admin draws its own icons as SVG: it passes tags=set().)"""
    page = parse_html(content)
    for element in page.iter():
        if element.tag == "script":
            assert element.attrs.get("src") or (
                element.attrs.get("type") == "application/ld+json"
            ), element.attrs
        if element.tag == "img" and "img" in tags:
            assert element.attrs["src"].startswith(("/static/", "/media/"))
        else:
            assert element.tag not in tags - {"img"}, element.tag
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name)
            if name in {"href", "src", "action"} and value:
                scheme = value.strip().lower()
                assert not scheme.startswith(("javascript:", "data:")), value
    # What was typed is visible as text (the parser undoes the escaping).
    assert payload.replace("&#58;", ":") in page.text.replace("&#58;", ":")


@pytest.fixture
def verified_client(client, db):
    client.force_login(make_verified_user())
    return client


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_question_title_and_details_are_shown_inert(
    verified_client, topic, payload
):
    response = verified_client.post(
        "/questions/ask/",
        {
            "title": f"Title {payload}"[:150],
            "body": f"Body {payload}",
            "topic": topic.pk,
            "is_anonymous": "on",
        },
        follow=True,
    )

    question = Question.objects.get()
    assert question.body == f"Body {payload}"  # stored as typed
    assert_inert(response.content, f"Body {payload}")
    assert_inert(verified_client.get("/questions/").content, f"Title {payload}"[:150])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_answer_is_shown_inert(client, question, specialist, payload):
    client.force_login(specialist.user)

    response = client.post(
        f"/questions/{question.pk}/answer/", {"body": payload}, follow=True
    )

    assert Answer.objects.get().body == payload
    assert_inert(response.content, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_search_words_are_shown_inert(client, db, payload):
    response = client.get("/questions/", {"q": payload})

    assert response.status_code == 200
    page = parse_html(response.content)
    assert page.find("input", name="q").attrs["value"] == payload
    assert_inert(response.content, "")


@pytest.mark.parametrize("payload", PAYLOADS[:4])
def test_hostile_report_reason_is_inert_for_staff(
    verified_client, admin_client, question, payload
):
    verified_client.post(f"/questions/{question.pk}/report/", {"reason": payload})

    assert Report.objects.get().reason == payload
    response = admin_client.get("/admin/questions/report/")
    assert payload not in response.content.decode()
    assert_inert(response.content, payload, tags=set())


def test_typed_addresses_become_links_with_exactly_nofollow_ugc_noopener(
    client, question, specialist
):
    client.force_login(specialist.user)
    body = "See https://example.org/help?a=1&b=2 or www.example.com.\nOr write to help@example.org"

    response = client.post(
        f"/questions/{question.pk}/answer/", {"body": body}, follow=True
    )

    answer = parse_html(response.content).find("li", class_="answer")
    text = answer.find("div", class_="qa-text")
    links = text.find_all("a")
    assert [a.attrs["href"] for a in links] == [
        "https://example.org/help?a=1&b=2",
        "http://www.example.com",
        "mailto:help@example.org",
    ]
    assert {a.attrs["rel"] for a in links} == {"nofollow ugc noopener"}
    assert len(text.find_all("br")) == 1


def test_links_in_a_question_get_the_same_rel(client, asker, topic):
    question = make_question(
        author=asker, topic=topic, body="Read https://example.org/a first."
    )

    page = parse_html(client.get(f"/questions/{question.pk}/").content)

    link = (
        page.find("article", class_="question").find("div", class_="qa-text").find("a")
    )
    assert (link.attrs["href"], link.attrs["rel"]) == (
        "https://example.org/a",
        "nofollow ugc noopener",
    )
