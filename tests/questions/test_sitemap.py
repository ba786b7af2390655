"""/sitemap.xml lists published questions that have a visible answer."""

import re

from tests.factories import make_answer, make_question


def question_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return set(
        re.findall(
            r"<loc>http://testserver(/questions/\d+/)</loc>", response.content.decode()
        )
    )


def test_only_answered_published_questions_are_in_the_sitemap(client, db):
    answered = make_question()
    make_answer(answered)
    make_answer(answered)  # listed once
    unanswered = make_question()
    only_hidden_answer = make_question()
    make_answer(only_hidden_answer, is_hidden=True)
    hidden = make_question(is_hidden=True)
    make_answer(hidden)

    urls = question_urls(client)

    assert urls == {f"/questions/{answered.pk}/"}
    assert f"/questions/{unanswered.pk}/" not in urls


def test_the_sitemap_tells_when_the_page_last_changed(client, question, specialist):
    client.force_login(specialist.user)
    client.post(f"/questions/{question.pk}/answer/", {"body": "An answer."})
    client.logout()
    question.refresh_from_db()

    content = client.get("/sitemap.xml").content.decode()

    entry = re.search(
        rf"<loc>http://testserver/questions/{question.pk}/</loc>"
        r"<lastmod>([^<]+)</lastmod>",
        content,
    )
    assert entry.group(1) == question.updated_at.date().isoformat()
