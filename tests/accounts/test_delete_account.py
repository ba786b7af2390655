"""The account deletion page says, in plain words, what stays and for how long,
and what it says is what deletion does."""

from messaging.models import Conversation
from questions.models import Question
from tests.factories import (
    make_answer,
    make_conversation,
    make_question,
    make_specialist,
    make_verified_user,
)
from tests.html import parse_html

PASSWORD = "a-long-test-password"


def page_text(response):
    return " ".join(parse_html(response.content).find("main").text.split())


def test_deletion_page_says_what_stays_and_for_how_long(client, db, settings):
    settings.CONSULTATION_RETENTION_DAYS = 30
    client.force_login(make_verified_user())

    text = page_text(client.get("/account/delete/"))

    assert "What stays" in text
    assert "Questions you asked stay published" in text
    assert "“Asked anonymously”" in text
    assert "“Deleted account”" in text
    assert "an upcoming one is cancelled first and the specialist told" in text
    assert "stay in our record of sent email for 30 days" in text


def test_question_stays_published_without_the_name_after_deletion(client, db):
    writer = make_verified_user(name="Robin Writer", password=PASSWORD)
    question = make_question(author=writer, is_anonymous=False)
    make_answer(question, specialist=make_specialist())
    client.force_login(writer)
    assert "Robin Writer" in client.get(f"/questions/{question.pk}/").content.decode()

    client.post("/account/delete/", {"password": PASSWORD})
    page = client.get(f"/questions/{question.pk}/").content.decode()

    assert Question.objects.get(pk=question.pk).author is None
    assert "Asked anonymously" in page
    assert "Robin Writer" not in page


def test_conversation_stays_with_the_specialist_as_a_deleted_account(client, db):
    writer = make_verified_user(password=PASSWORD)
    conversation = make_conversation(user=writer, messages=2)
    client.force_login(writer)

    client.post("/account/delete/", {"password": PASSWORD})

    kept = Conversation.objects.get(pk=conversation.pk)
    assert kept.user is None
    assert kept.messages.count() == 2
    specialist_user = kept.specialist.user
    assert str(kept.other_name(specialist_user)) == "Deleted account"
