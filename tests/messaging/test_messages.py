from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from messaging.models import Conversation, Message, Report
from tests.factories import make_specialist, make_staff, make_user, make_verified_user
from tests.html import parse_html


@pytest.fixture
def people(db):
    """A person, the specialist they write to, and outsiders."""
    specialist_user = make_verified_user(email="spec@example.org")
    return {
        "person": make_verified_user(email="person@example.org", name="Sam"),
        "specialist": make_specialist(
            user=specialist_user, slug="rowan", display_name="Rowan"
        ),
        "other_user": make_verified_user(email="other@example.org"),
        "other_specialist": make_specialist(
            user=make_verified_user(email="spec2@example.org"), slug="other"
        ),
        "staff": make_verified_user(email="staff@example.org", is_staff=True),
    }


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def send(client, text="Hello, can we talk?"):
    return client.post("/specialists/rowan/message/", {"body": text})


def test_anonymous_visitor_gets_the_message_prompt(client, people):
    main = parse_html(client.get("/specialists/rowan/message/").content).find("main")

    assert main.find("h1").text == "You need to be logged in to send messages"


def test_profile_send_message_button_opens_the_prompt_for_anonymous_visitors(
    client, people
):
    page = parse_html(client.get("/specialists/rowan/").content)

    link = page.find("a", href="/specialists/rowan/message/")
    assert link.text == "Send message"
    assert link.attrs["data-gate"] == "You need to be logged in to send messages"


def test_sending_starts_a_conversation_and_says_so(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(people["person"])

    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "Private words")

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Your message has been sent" in page
    assert "Private words" in page
    assert [m.to for m in mailoutbox] == [["spec@example.org"]]
    assert "Private words" not in mailoutbox[0].body
    assert "new message" in mailoutbox[0].subject.lower()


def test_specialist_sees_unread_count_and_replies(people):
    send(client_for(people["person"]))
    specialist_client = client_for(people["specialist"].user)

    header = parse_html(specialist_client.get("/").content).find("header")
    assert header.find("span", class_="count").text.startswith("1")

    conversation = Conversation.objects.get()
    response = specialist_client.post(
        conversation.get_absolute_url(), {"body": "Yes, of course."}
    )
    assert response.status_code == 302
    header = parse_html(specialist_client.get("/").content).find("header")
    assert header.find_all("span", class_="count") == []
    person_page = client_for(people["person"]).get("/messages/").content.decode()
    assert "Unread" in person_page


@pytest.mark.parametrize(
    "who", ["anonymous", "other_user", "other_specialist", "staff"]
)
def test_nobody_but_the_two_participants_can_read_a_conversation(people, who):
    send(client_for(people["person"]), "Only for Rowan")
    conversation = Conversation.objects.get()
    message = Message.objects.get()
    viewer = None if who == "anonymous" else people[who]
    if who == "other_specialist":
        viewer = people["other_specialist"].user
    client = client_for(viewer)

    responses = [
        client.get(conversation.get_absolute_url()),
        client.post(conversation.get_absolute_url(), {"body": "intrude"}),
        client.post(f"/messages/{conversation.pk}/block/"),
        client.post(f"/messages/message/{message.pk}/report/", {"reason": "x"}),
        client.get("/messages/"),
    ]

    for response in responses:
        assert b"Only for Rowan" not in response.content
    if who != "anonymous":
        assert [r.status_code for r in responses[:4]] == [404, 404, 404, 404]
    assert Message.objects.count() == 1
    assert not Report.objects.exists()


def test_staff_see_a_message_only_once_it_is_reported(people):
    send(client_for(people["person"]), "Something nasty")
    admin = Client()
    admin.force_login(make_staff(is_superuser=True))
    assert b"Something nasty" not in admin.get("/admin/messaging/report/").content
    assert admin.get("/admin/messaging/message/").status_code == 404

    specialist_client = client_for(people["specialist"].user)
    message = Message.objects.get()
    specialist_client.post(
        f"/messages/message/{message.pk}/report/", {"reason": "Abusive"}
    )

    report = Report.objects.get()
    page = admin.get(f"/admin/messaging/report/{report.pk}/change/").content.decode()
    assert "Something nasty" in page
    assert "Abusive" in page


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "javascript:alert(1)",
        "[x](javascript:alert(1))",
    ],
)
def test_message_text_is_shown_inert(people, text):
    client = client_for(people["person"])
    send(client, text)

    page = client.get(Conversation.objects.get().get_absolute_url()).content.decode()
    shown = parse_html(page).find("div", class_="message-body")

    assert "<script" not in page.split("</main>")[0].split("<main")[1]
    for element in shown.iter():
        assert element.tag in ("a", "br")
        assert not any(name.startswith("on") for name in element.attrs)
        assert not element.attrs.get("href", "").lower().startswith("javascript")
    assert shown.text == text  # shown as the words typed, not as markup


def test_links_are_clickable_with_a_safe_rel(people):
    client = client_for(people["person"])
    send(client, "See https://example.org/help\nthanks")

    page = parse_html(client.get(Conversation.objects.get().get_absolute_url()).content)

    link = page.find("div", class_="message-body").find("a")
    assert link.attrs["href"] == "https://example.org/help"
    assert link.attrs["rel"] == "nofollow ugc noopener"
    assert page.find("div", class_="message-body").find_all("br")


@pytest.mark.parametrize(
    "text,error",
    [("", "This field is required."), ("x" * 5001, "at most 5000 characters")],
)
def test_empty_or_too_long_message_is_refused(people, text, error):
    response = send(client_for(people["person"]), text)

    assert error in response.content.decode()
    assert not Message.objects.exists()


def test_blocking_stops_messages_both_ways_and_says_so(people):
    person = client_for(people["person"])
    send(person)
    conversation = Conversation.objects.get()
    specialist_client = client_for(people["specialist"].user)

    specialist_client.post(f"/messages/{conversation.pk}/block/")
    refused = person.post(conversation.get_absolute_url(), {"body": "Are you there?"})
    again = send(person, "Trying through the profile")

    assert refused.status_code == 400
    assert (
        "This conversation is blocked: no more messages can be sent."
        in refused.content.decode()
    )
    assert "Messages in this conversation are blocked" in again.content.decode()
    assert Message.objects.count() == 1


def test_thirty_messages_an_hour_then_a_refusal_that_keeps_the_text(people):
    person = client_for(people["person"])
    for n in range(30):
        assert send(person, f"m{n}").status_code == 302

    response = send(person, "Please keep this text")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    page = parse_html(response.content)
    assert (
        "30 messages in the last hour" in page.find("div", class_="error-summary").text
    )
    assert page.find("textarea", name="body").text.strip() == "Please keep this text"
    assert Message.objects.count() == 30


def test_the_hourly_limit_holds_in_another_browser_and_in_the_conversation(people):
    first = client_for(people["person"])
    for n in range(30):
        send(first, f"m{n}")
    conversation = Conversation.objects.get()
    second = client_for(people["person"])

    response = second.post(conversation.get_absolute_url(), {"body": "Keep this"})

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    page = parse_html(response.content)
    assert (
        "30 messages in the last hour" in page.find("div", class_="error-summary").text
    )
    assert page.find("textarea", name="body").text.strip() == "Keep this"
    assert Message.objects.count() == 30


def test_an_unknown_block_action_changes_nothing_and_says_so(people):
    person = client_for(people["person"])
    send(person)
    conversation = Conversation.objects.get()

    response = person.post(
        f"/messages/{conversation.pk}/block/", {"action": "mute"}, follow=True
    )

    assert "Unknown action." in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.blocked_by == ""


def test_the_recipient_is_emailed_at_most_once_an_hour(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    person = client_for(people["person"])
    with django_capture_on_commit_callbacks(execute=True):
        send(person, "one")
        send(person, "two")
    assert len(mailoutbox) == 1

    Conversation.objects.update(
        specialist_notified_at=timezone.now() - timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        send(person, "three")
    assert len(mailoutbox) == 2


def test_a_specialist_cannot_message_themselves(people):
    response = client_for(people["specialist"].user).post(
        "/specialists/rowan/message/", {"body": "me"}
    )

    assert "You cannot send a message to yourself." in response.content.decode()


def test_unverified_user_is_asked_to_verify_first(people):
    response = client_for(make_user()).get("/specialists/rowan/message/")

    assert response.status_code == 403


def test_deleting_the_account_keeps_the_thread_for_the_specialist(people):
    send(client_for(people["person"]), "Before I go")
    people["person"].delete()

    page = client_for(people["specialist"].user).get(
        Conversation.objects.get().get_absolute_url()
    )

    assert "Before I go" in page.content.decode()
    assert "Deleted account" in page.content.decode()


def test_inbox_and_conversation_query_counts_stay_small(
    people, django_assert_max_num_queries
):
    person = client_for(people["person"])
    send(person)
    for n in range(5):
        make_specialist(slug=f"s{n}")
    # 9: showing "sent" takes it out of the session, which is saved again.
    with django_assert_max_num_queries(9):
        person.get("/messages/")
    with django_assert_max_num_queries(10):
        person.get(Conversation.objects.get().get_absolute_url())


def test_the_other_side_cannot_lift_a_block_by_blocking_too(people):
    person = client_for(people["person"])
    send(person)
    conversation = Conversation.objects.get()
    specialist_client = client_for(people["specialist"].user)

    person.post(f"/messages/{conversation.pk}/block/")
    specialist_client.post(f"/messages/{conversation.pk}/block/")
    specialist_client.post(f"/messages/{conversation.pk}/block/", {"action": "unblock"})
    specialist_client.post(conversation.get_absolute_url(), {"body": "Let me in"})

    conversation.refresh_from_db()
    assert conversation.blocked_by == Conversation.Side.USER
    assert Message.objects.count() == 1


def test_a_writer_without_a_name_is_never_shown_by_email_address(people):
    people["person"].name = ""
    people["person"].save()
    send(client_for(people["person"]))

    inbox = client_for(people["specialist"].user).get("/messages/").content.decode()

    assert "person@example.org" not in inbox
    assert f"Visitor {Conversation.objects.get().visitor_number}" in inbox


def test_a_specialist_leaving_keeps_the_thread_for_the_person(people):
    person = client_for(people["person"])
    send(person, "My own words")
    people["specialist"].user.delete()

    conversation = Conversation.objects.get()
    page = person.get(conversation.get_absolute_url())
    refused = person.post(conversation.get_absolute_url(), {"body": "Hello?"})

    assert "My own words" in page.content.decode()
    assert "A specialist who has left" in page.content.decode()
    assert refused.status_code == 400
    assert "The other person has left the site" in refused.content.decode()
    assert Message.objects.count() == 1
