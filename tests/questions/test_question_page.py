"""A question's page: the question, its answers, who answered, and the form."""

import json

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from specialists.models import Specialist
from tests.factories import (
    make_answer,
    make_question,
    make_specialist,
    make_verified_user,
)
from tests.html import parse_html


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(question):
    return f"/questions/{question.pk}/"


def answers_on(response):
    return parse_html(response.content).find_all("li", class_="answer")


def json_ld_of(response):
    page = parse_html(response.content)
    (script,) = page.find_all("script", type="application/ld+json")
    return json.loads(script.text)


def test_page_shows_the_question_with_its_line_breaks(client, question):
    response = client.get(url(question))

    assert response.status_code == 200
    page = parse_html(response.content)
    assert page.find("h1").text == "How do I talk to my manager?"
    text = page.find("article", class_="question").find("div", class_="qa-text")
    assert len(text.find_all("br")) == 1
    assert "I do not know where to begin." in text.text
    assert "Workplace harassment" in page.find("article", class_="question").text
    assert response.context["section"] == "questions"


def test_each_answer_shows_the_specialist_with_photo_profile_and_free_consultation(
    client, question, specialist
):
    buffer = ContentFile(b"", name="rowan.png")
    Image.new("RGB", (80, 80)).save(buffer, "PNG")
    specialist.photo.save("rowan.png", buffer)
    make_answer(question, specialist=specialist, body="Start by writing it down.")

    (answer,) = answers_on(client.get(url(question)))

    assert "Start by writing it down." in answer.text
    assert answer.find("a", href="/specialists/rowan-ash/").text == "Rowan Ash"
    assert answer.find("img").attrs["src"].startswith("/media/specialists/rowan")
    assert "Clinical psychologist" in answer.text
    cta = answer.find("a", href="/specialists/rowan-ash/book/")
    assert "Book a free consultation with Rowan Ash" in cta.text


def test_no_booking_link_when_the_specialist_offers_no_free_consultation(
    client, question
):
    make_answer(question, specialist=make_specialist(offers_free_consultation=False))

    (answer,) = answers_on(client.get(url(question)))

    assert not [a for a in answer.find_all("a") if a.attrs["href"].endswith("/book/")]


def test_no_booking_link_when_the_specialist_has_no_free_time(client, question):
    make_answer(question, specialist=make_specialist(offers_free_consultation=True))

    (answer,) = answers_on(client.get(url(question)))

    assert not [a for a in answer.find_all("a") if a.attrs["href"].endswith("/book/")]


def test_an_answer_stays_when_its_specialist_is_no_longer_public(client, question):
    specialist = make_specialist(
        display_name="Pat Pending", slug="pat", status=Specialist.Status.PENDING
    )
    make_answer(question, specialist=specialist, body="Still useful.")

    (answer,) = answers_on(client.get(url(question)))

    assert "Still useful." in answer.text
    assert "Pat Pending" in answer.text
    assert not [
        a for a in answer.find_all("a") if "/specialists/pat/" in a.attrs["href"]
    ]


def test_accepted_answer_comes_first_and_is_marked(client, question):
    make_answer(question, body="Earlier answer.")
    make_answer(question, body="Accepted answer.", is_accepted=True)

    first, second = answers_on(client.get(url(question)))

    assert "Accepted answer." in first.text
    assert "Accepted by the asker" in first.text
    assert "Accepted by the asker" not in second.text


def test_hidden_answers_simply_are_not_shown(client, question):
    make_answer(question, body="A visible answer.")
    make_answer(question, body="A hidden answer.", is_hidden=True)

    response = client.get(url(question))

    assert [a.find("div", class_="qa-text").text for a in answers_on(response)] == [
        "A visible answer."
    ]
    assert "A hidden answer." not in response.content.decode()
    assert "1 answer" in parse_html(response.content).find("h2").text


def test_answer_form_is_shown_to_approved_specialists_only(client, question):
    pending = make_specialist(status=Specialist.Status.PENDING)
    cases = [
        (None, False),
        (make_verified_user(), False),
        (pending.user, False),
        (make_verified_user(is_staff=True), False),
        (make_specialist().user, True),
    ]
    for user, sees_form in cases:
        client.logout()
        if user:
            client.force_login(user)

        page = parse_html(client.get(url(question)).content)

        forms = page.find_all("form", action=f"/questions/{question.pk}/answer/")
        assert bool(forms) is sees_form, user
        if not sees_form:
            assert "Answers come from specialists" in page.text


def test_unanswered_questions_are_not_indexed(client, question):
    response = client.get(url(question))

    robots = parse_html(response.content).find("meta", name="robots")
    assert robots.attrs["content"] == "noindex"


def test_answered_questions_may_be_indexed(client, question, answer):
    response = client.get(url(question))

    assert not parse_html(response.content).find_all("meta", name="robots")


def test_json_ld_is_a_qa_page_with_accepted_and_suggested_answers(
    client, question, specialist
):
    accepted = make_answer(
        question, specialist=specialist, body="Accepted.", is_accepted=True
    )
    other = make_answer(question, body="Another view.")
    voter = make_verified_user()
    accepted.votes.create(user=voter)

    data = json_ld_of(client.get(url(question)))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "QAPage"
    entity = data["mainEntity"]
    assert entity["@type"] == "Question"
    assert entity["name"] == "How do I talk to my manager?"
    assert entity["text"] == "It started months ago.\nI do not know where to begin."
    assert entity["answerCount"] == 2
    assert "author" not in entity  # asked anonymously
    base = f"http://testserver/questions/{question.pk}/"
    assert entity["acceptedAnswer"] == {
        "@type": "Answer",
        "text": "Accepted.",
        "dateCreated": accepted.created_at.isoformat(),
        "upvoteCount": 1,
        "url": f"{base}#answer-{accepted.pk}",
        "author": {
            "@type": "Person",
            "name": "Rowan Ash",
            "url": "http://testserver/specialists/rowan-ash/",
        },
    }
    assert [a["url"] for a in entity["suggestedAnswer"]] == [
        f"{base}#answer-{other.pk}"
    ]


def test_json_ld_names_the_asker_only_when_they_chose_to_be_named(client, question):
    question.is_anonymous = False
    question.save()

    data = json_ld_of(client.get(url(question)))

    assert data["mainEntity"]["author"] == {
        "@type": "Person",
        "name": "Zelda Quillfeather",
    }


def test_json_ld_leaves_out_hidden_answers(client, question):
    make_answer(question, body="Hidden.", is_hidden=True, is_accepted=True)

    entity = json_ld_of(client.get(url(question)))["mainEntity"]

    assert entity["answerCount"] == 0
    assert "acceptedAnswer" not in entity
    assert "suggestedAnswer" not in entity


def test_json_ld_cannot_close_its_script_element(client, asker, topic):
    question = make_question(
        author=asker, topic=topic, title="</script><script>alert(1)</script>"
    )

    content = client.get(url(question)).content.decode()

    assert "</script><script>alert(1)" not in content
    assert json_ld_of(client.get(url(question)))["mainEntity"]["name"] == (
        "</script><script>alert(1)</script>"
    )


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize("viewer", ["visitor", "user", "specialist", "asker"])
def test_question_page_queries_stay_flat(
    client, question, asker, django_assert_max_num_queries, count, viewer
):
    for _ in range(count):
        answer = make_answer(question)
        answer.votes.create(user=make_verified_user())
    users = {
        "visitor": None,
        "user": make_verified_user(),
        "specialist": make_specialist().user,
        "asker": asker,
    }
    if users[viewer]:
        client.force_login(users[viewer])

    with django_assert_max_num_queries(8):
        response = client.get(url(question))

    assert len(answers_on(response)) == count
