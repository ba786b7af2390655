"""A specialist can tell their conversations apart: each person appears under
the name they chose, or else under a pseudonym kept for the conversation."""

import re

import pytest
from django.db import IntegrityError
from django.test import Client

from messaging import services
from messaging.models import Conversation, Message, Report, free_visitor_number
from tests.factories import (
    make_conversation,
    make_specialist,
    make_staff,
    make_verified_user,
)
from tests.html import parse_html

# Session, user, verified address, the conversations and the header's unread
# count; the conversation page adds marking it read and its messages. The same
# at 1 conversation (or message) as at 200.
INBOX_QUERIES = 6  # 5, plus the account menu asking for a specialist profile
CONVERSATION_QUERIES = 8  # likewise


@pytest.fixture
def specialist(db):
    return make_specialist(
        user=make_verified_user(email="rowan@example.org"),
        slug="rowan",
        display_name="Rowan",
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def inbox_rows(user):
    page = parse_html(client_for(user).get("/messages/").content)
    return [
        (row.find("a").text, row.find("p", class_="card-meta").text)
        for row in page.find_all("li", class_="conversation-row")
    ]


def test_people_without_a_name_appear_under_their_own_visitor_number(specialist):
    first = make_conversation(
        user=make_verified_user(email="alex@example.org"), specialist=specialist
    )
    second = make_conversation(
        user=make_verified_user(email="kim@example.org"), specialist=specialist
    )

    response = client_for(specialist.user).get("/messages/")

    names = [name for name, _meta in inbox_rows(specialist.user)]
    assert sorted(names) == sorted(
        [f"Visitor {first.visitor_number}", f"Visitor {second.visitor_number}"]
    )
    assert first.visitor_number != second.visitor_number
    assert all(re.fullmatch(r"Visitor \d{4}", name) for name in names)
    content = response.content.decode()
    assert "alex@example.org" not in content
    assert "kim@example.org" not in content
    assert "A visitor" not in content


def test_a_chosen_name_is_shown_with_the_pseudonym_beside_it(specialist):
    conversation = make_conversation(
        user=make_verified_user(name="Sam"), specialist=specialist
    )

    [(name, meta)] = inbox_rows(specialist.user)
    page = client_for(specialist.user).get(f"/messages/{conversation.pk}/")

    assert name == "Sam"
    assert meta.startswith(f"Visitor {conversation.visitor_number} · ")
    heading = parse_html(page.content).find("h1").text
    assert heading == "Messages with Sam"
    assert f"Reference: Visitor {conversation.visitor_number}." in page.content.decode()


def test_a_name_set_later_replaces_the_pseudonym_which_stays_the_same(specialist):
    person = make_verified_user()
    conversation = make_conversation(user=person, specialist=specialist)
    number = conversation.visitor_number
    assert inbox_rows(specialist.user)[0][0] == f"Visitor {number}"

    client_for(person).post("/account/name/", {"name": "Robin"})
    [(name, meta)] = inbox_rows(specialist.user)

    assert name == "Robin"
    assert meta.startswith(f"Visitor {number} · ")
    conversation.refresh_from_db()
    assert conversation.visitor_number == number


def test_the_pseudonym_stays_while_other_conversations_come_and_go(specialist):
    kept = make_conversation(specialist=specialist)
    number = kept.visitor_number
    gone = make_conversation(specialist=specialist)
    gone.user.delete()
    Conversation.objects.filter(pk=gone.pk).delete()
    for _ in range(3):
        make_conversation(specialist=specialist)

    kept.refresh_from_db()
    assert kept.visitor_number == number
    assert f"Visitor {number}" in [name for name, _meta in inbox_rows(specialist.user)]


def test_the_same_person_is_a_different_visitor_to_each_specialist(specialist):
    person = make_verified_user()
    other = make_specialist()
    same = []
    # Not derived from the person: with 9,000 random numbers to choose from,
    # ten pairs all equal would mean the number follows the person around.
    for _ in range(10):
        here = make_conversation(user=person, specialist=specialist)
        there = make_conversation(user=person, specialist=other)
        same.append(here.visitor_number == there.visitor_number)
        Conversation.objects.filter(pk__in=[here.pk, there.pk]).delete()

    assert not all(same)


def test_two_first_messages_at_once_never_share_a_number(specialist, monkeypatch):
    """The database refuses a number taken a moment ago; the second picks again."""
    first = make_conversation(specialist=specialist)
    picks = iter([first.visitor_number, 4321 if first.visitor_number != 4321 else 1234])
    monkeypatch.setattr(services, "free_visitor_number", lambda taken: next(picks))

    second = services.start_conversation(
        user=make_verified_user(), specialist=specialist
    )

    assert second.visitor_number != first.visitor_number
    assert Conversation.objects.filter(specialist=specialist).count() == 2


def test_the_database_refuses_a_second_conversation_with_the_same_number(specialist):
    first = make_conversation(specialist=specialist)

    with pytest.raises(IntegrityError):
        Conversation.objects.create(
            user=make_verified_user(),
            specialist=specialist,
            visitor_number=first.visitor_number,
        )


def test_visitor_numbers_skip_those_taken_and_grow_a_digit_when_all_are():
    all_four_digits = set(range(1000, 10000))

    assert free_visitor_number(all_four_digits - {4821}) == 4821
    assert 10000 <= free_visitor_number(all_four_digits) <= 99999


def test_a_person_whose_account_is_deleted_keeps_the_reference(specialist):
    conversation = make_conversation(specialist=specialist)
    conversation.user.delete()

    [(name, meta)] = inbox_rows(specialist.user)

    assert name == "Deleted account"
    assert meta.startswith(f"Visitor {conversation.visitor_number} · ")


def test_the_person_still_sees_the_specialist_by_name(specialist):
    person = make_verified_user(name="Sam")
    conversation = make_conversation(user=person, specialist=specialist)

    [(name, meta)] = inbox_rows(person)
    page = client_for(person).get(f"/messages/{conversation.pk}/").content.decode()

    assert name == "Rowan"
    assert "Visitor" not in meta
    assert "Reference:" not in page
    assert "Messages with Rowan" in page


def test_the_new_message_email_names_the_person_as_the_inbox_does(
    specialist, mailoutbox, django_capture_on_commit_callbacks
):
    named = make_verified_user(name="Sam")
    unnamed = make_verified_user(email="quiet@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client_for(named).post("/specialists/rowan/message/", {"body": "Hi"})
        client_for(unnamed).post(
            "/specialists/rowan/message/", {"body": "Private words"}
        )

    number = Conversation.objects.get(user=unnamed).visitor_number
    assert [m.to for m in mailoutbox] == [["rowan@example.org"]] * 2
    assert "A new message from Sam is waiting for you." in mailoutbox[0].body
    assert f"A new message from Visitor {number} is waiting" in mailoutbox[1].body
    assert "quiet@example.org" not in mailoutbox[1].body
    assert "Private words" not in mailoutbox[1].body


def test_the_email_to_the_person_does_not_name_the_specialist(
    specialist, mailoutbox, django_capture_on_commit_callbacks
):
    conversation = make_conversation(specialist=specialist)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(specialist.user).post(
            f"/messages/{conversation.pk}/", {"body": "Reply"}
        )

    [email] = mailoutbox
    assert email.to == [conversation.user.email]
    assert "A new message is waiting for you." in email.body
    assert "Rowan" not in email.body


def test_the_admin_names_reported_conversations_by_pseudonym(specialist):
    person = make_verified_user(email="person@example.org", name="Sam")
    conversation = make_conversation(user=person, specialist=specialist)
    message = Message.objects.get(conversation=conversation)
    Report.objects.create(message=message, reporter=specialist.user, reason="Rude")
    admin = client_for(make_staff(is_superuser=True))

    listing = admin.get("/admin/messaging/report/").content.decode()
    report = Report.objects.get()
    detail = admin.get(f"/admin/messaging/report/{report.pk}/change/")

    pseudonym = f"Visitor {conversation.visitor_number}"
    assert f"Rowan and {pseudonym}" in listing
    content = detail.content.decode()
    assert f"{pseudonym} (person)" in content
    assert "Rowan (specialist)" in content
    assert "person@example.org" not in listing + content
    assert "rowan@example.org" not in listing + content


@pytest.mark.parametrize("conversations", [1, 200])
def test_the_specialists_inbox_costs_the_same_at_1_and_200_conversations(
    specialist, django_assert_max_num_queries, conversations
):
    for n in range(conversations):
        make_conversation(
            user=make_verified_user(name="Sam" if n % 2 else ""), specialist=specialist
        )
    client = client_for(specialist.user)

    with django_assert_max_num_queries(INBOX_QUERIES):
        response = client.get("/messages/")

    assert len(inbox_rows(specialist.user)) == conversations
    assert response.status_code == 200


@pytest.mark.parametrize("conversations", [1, 200])
def test_the_persons_inbox_costs_the_same_at_1_and_200_conversations(
    db, django_assert_max_num_queries, conversations
):
    person = make_verified_user()
    for _ in range(conversations):
        make_conversation(user=person)
    client = client_for(person)

    with django_assert_max_num_queries(INBOX_QUERIES):
        response = client.get("/messages/")

    assert len(inbox_rows(person)) == conversations
    assert response.status_code == 200


@pytest.mark.parametrize("messages", [1, 200])
def test_a_conversation_page_costs_the_same_at_1_and_200_messages(
    specialist, django_assert_max_num_queries, messages
):
    conversation = make_conversation(specialist=specialist, messages=messages)
    client = client_for(specialist.user)

    with django_assert_max_num_queries(CONVERSATION_QUERIES):
        response = client.get(f"/messages/{conversation.pk}/")

    assert response.content.decode().count('class="message-body"') == messages


def test_your_data_says_what_each_specialist_calls_you(specialist):
    person = make_verified_user()
    conversation = make_conversation(user=person, specialist=specialist)
    make_conversation(user=person).specialist.user.delete()

    data = client_for(person).get("/account/data/download/").json()

    sent = sorted(data["Messages you sent"], key=lambda row: row["to"])
    assert [row["to"] for row in sent] == ["A specialist who has left", "Rowan"]
    assert sent[1]["your_pseudonym"] == f"Visitor {conversation.visitor_number}"


def test_the_first_message_page_says_how_the_specialist_will_see_you(specialist):
    unnamed = client_for(make_verified_user())
    named = client_for(make_verified_user(name="Sam"))

    before_naming = unnamed.get("/specialists/rowan/message/").content.decode()
    with_name = parse_html(named.get("/specialists/rowan/message/").content)

    assert "They will see you as a visitor number" in before_naming
    assert 'href="/account/name/">Choose a name</a>' in before_naming
    assert "They will see your name, “Sam”" in with_name.find("main").text
    assert with_name.find("a", href="/account/name/").text == "Change your name"
