"""The emails a specialist gets, each queued in the outbox on its event.

Each links (absolutely) to the page where the specialist acts, and holds
nothing a visitor wrote nor their address: mailboxes are read on shared
screens and kept for years. Review and message emails can be turned off;
those about their own bookings cannot.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from consultations import services as consultations
from consultations.models import Booking
from messaging.models import Conversation
from outbox.models import OutboxMessage
from tests.factories import make_bookable_specialist, make_verified_user
from tests.smtp import free_port, use_smtp

ADMIN = "/admin/specialists/specialist/"
NOTE = "My manager follows me home."
OWN_WORDS = "Only after 18:00, my partner reads my phone."
REASON = "My partner found out."


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def specialist(db):
    return make_bookable_specialist(
        user=make_verified_user(email="rowan@example.org"),
        slug="rowan",
        display_name="Rowan Example",
    )


def queued_to(email):
    """The messages waiting in the outbox for `email`, oldest first."""
    return [
        m
        for m in OutboxMessage.objects.order_by("pk")
        if any(email in to for to in m.to)
    ]


def only_one_to(email):
    [message] = queued_to(email)
    return message


def assert_holds_none_of(message, *private):
    for text in private:
        assert text not in message.body
        assert text not in message.subject


# Review of the profile


def test_approval_queues_an_email_with_links_to_the_dashboard_and_public_page(
    admin_client, specialist
):
    specialist.status = specialist.Status.PENDING
    specialist.save()

    admin_client.post(ADMIN, {"action": "approve", "_selected_action": [specialist.pk]})

    message = only_one_to("rowan@example.org")
    assert message.subject == "Your profile is approved"
    assert message.about == f"accounts.user:{specialist.user.pk}"
    assert "Your public page: http://testserver/specialists/rowan/\n" in message.body
    assert "http://testserver/specialists/me/\n" in message.body
    assert message.sent_at is None  # waits for the commit, like every email


def test_approving_a_profile_that_is_public_already_sends_nothing(
    admin_client, specialist
):
    admin_client.post(ADMIN, {"action": "approve", "_selected_action": [specialist.pk]})

    assert queued_to("rowan@example.org") == []


def test_changes_requested_email_gives_the_reason_and_the_dashboard_link(
    admin_client, specialist
):
    reason = "Please add your registration body."
    admin_client.post(
        ADMIN,
        {
            "action": "request_changes",
            "_selected_action": [specialist.pk],
            "apply": "1",
            "reason": reason,
        },
    )

    message = only_one_to("rowan@example.org")
    assert reason in message.body
    assert "Edit your profile: http://testserver/specialists/me/\n" in message.body
    assert_holds_none_of(message, "rowan@example.org")
    assert reason not in message.subject


def test_review_emails_can_be_turned_off_and_the_review_still_happens(
    admin_client, specialist
):
    specialist.email_review_updates = False
    specialist.save()

    admin_client.post(
        ADMIN,
        {
            "action": "request_changes",
            "_selected_action": [specialist.pk],
            "apply": "1",
            "reason": "Please add your registration body.",
        },
    )
    specialist.refresh_from_db()
    assert specialist.status == specialist.Status.CHANGES_REQUESTED
    admin_client.post(ADMIN, {"action": "approve", "_selected_action": [specialist.pk]})

    specialist.refresh_from_db()
    assert specialist.status == specialist.Status.APPROVED
    assert queued_to("rowan@example.org") == []


def test_approval_stands_when_the_mail_server_is_down(
    admin_client, specialist, settings, django_capture_on_commit_callbacks
):
    use_smtp(settings, free_port())  # nothing listens there
    specialist.status = specialist.Status.PENDING
    specialist.save()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            ADMIN, {"action": "approve", "_selected_action": [specialist.pk]}
        )

    specialist.refresh_from_db()
    assert specialist.status == specialist.Status.APPROVED
    message = only_one_to("rowan@example.org")
    assert (message.sent_at, message.attempts) == (None, 1)  # to be retried


# Their bookings


def book(client, specialist, **overrides):
    slot = consultations.free_slots(specialist)[0]
    data = {
        "slot": slot.isoformat(),
        "token": "form-token-1",
        "tz": "Asia/Kolkata",
        "name": "Sam",
        "email": "sam@example.org",
        "preferred_format": "video",
        "contact_preferences": OWN_WORDS,
        "note": NOTE,
        "consent": "on",
        **overrides,
    }
    response = client.post("/specialists/rowan/book/", data)
    assert response.status_code == 302
    return Booking.objects.get()


def booked_with_token(specialist, *, keep_emails=False):
    """A booking and its private-link token, made as the booking page does."""
    booking, token = consultations.book_consultation(
        specialist=specialist,
        start=consultations.free_slots(specialist)[0],
        form_token="t1",
        manage_url=lambda token: f"http://testserver/consultations/manage/{token}/",
        site_url="http://testserver",
        name="Sam",
        email="sam@example.org",
        preferred_format="video",
        contact_preferences=OWN_WORDS,
        note=NOTE,
        visitor_time_zone="Asia/Kolkata",
    )
    if not keep_emails:  # the confirmations are not under test
        OutboxMessage.objects.all().delete()
    return booking, token


def test_new_booking_email_links_to_the_booking_and_holds_nothing_they_wrote(
    client, specialist
):
    booking = book(client, specialist)

    message = only_one_to("rowan@example.org")
    assert message.subject.startswith("New appointment on ")
    link = f"http://testserver/specialists/me/consultations/#booking-{booking.pk}"
    assert f"\n{link}\n" in message.body
    assert_holds_none_of(message, NOTE, OWN_WORDS, "sam@example.org")
    # The link leads to what the email leaves out, behind the specialist's login.
    owner = Client()
    owner.force_login(specialist.user)
    page = owner.get("/specialists/me/consultations/").content.decode()
    assert f'id="booking-{booking.pk}"' in page
    assert NOTE in page
    assert "sam@example.org" in page


def test_visitor_cancelling_emails_a_link_to_the_consultations_page_without_the_reason(
    client, specialist
):
    booking, token = booked_with_token(specialist)

    client.post(f"/consultations/manage/{token}/cancel/", {"reason": REASON})

    message = only_one_to("rowan@example.org")
    assert message.subject.endswith(" cancelled")
    assert "Your consultations: http://testserver/specialists/me/consultations/\n" in (
        message.body
    )
    assert_holds_none_of(message, REASON, NOTE, OWN_WORDS, "sam@example.org", token)


def test_visitor_rescheduling_emails_a_link_to_the_booking(client, specialist):
    booking, token = booked_with_token(specialist)
    later = consultations.free_slots(specialist)[2]

    client.post(
        f"/consultations/manage/{token}/reschedule/", {"slot": later.isoformat()}
    )

    message = only_one_to("rowan@example.org")
    assert message.subject.startswith("Appointment moved to ")
    link = f"http://testserver/specialists/me/consultations/#booking-{booking.pk}"
    assert f"\n{link}\n" in message.body
    assert_holds_none_of(message, NOTE, OWN_WORDS, "sam@example.org", token)


def test_booking_emails_come_whatever_the_specialist_turned_off(client, specialist):
    specialist.email_review_updates = False
    specialist.email_new_messages = False
    specialist.save()

    _booking, token = booked_with_token(specialist, keep_emails=True)
    later = consultations.free_slots(specialist)[2]
    client.post(
        f"/consultations/manage/{token}/reschedule/", {"slot": later.isoformat()}
    )
    client.post(f"/consultations/manage/{token}/cancel/", {"reason": ""})

    subjects = [m.subject for m in queued_to("rowan@example.org")]
    assert len(subjects) == 3
    assert subjects[0].startswith("New appointment on ")
    assert subjects[1].startswith("Appointment moved to ")
    assert subjects[2].endswith(" cancelled")


def test_a_mail_server_that_is_down_keeps_the_booking_and_queues_its_emails(
    client, specialist, settings, django_capture_on_commit_callbacks
):
    use_smtp(settings, free_port())  # nothing listens there

    with django_capture_on_commit_callbacks(execute=True):
        book(client, specialist)

    assert Booking.objects.get().status == Booking.Status.CONFIRMED
    message = only_one_to("rowan@example.org")
    assert (message.sent_at, message.attempts) == (None, 1)  # to be retried


# Messages


@pytest.fixture
def person(db):
    return make_verified_user(email="person@example.org", name="Sam")


def write(user, url, text):
    client = Client()
    client.force_login(user)
    response = client.post(url, {"body": text})
    assert response.status_code == 302
    return response


def test_new_message_email_links_to_the_conversation_without_its_text(
    specialist, person
):
    text = "He waits outside my office every evening."

    write(person, "/specialists/rowan/message/", text)

    conversation = Conversation.objects.get()
    message = only_one_to("rowan@example.org")
    assert message.subject == "You have a new message"
    assert f"\nhttp://testserver/messages/{conversation.pk}/\n" in message.body
    assert_holds_none_of(message, text, "person@example.org")
    # Who wrote, by the name they chose for specialists to see (or a pseudonym).
    assert "A new message from Sam" in message.body


def test_message_emails_can_be_turned_off_for_the_specialist_only(specialist, person):
    specialist.email_new_messages = False
    specialist.save()

    write(person, "/specialists/rowan/message/", "Hello, can we talk?")
    conversation = Conversation.objects.get()
    write(specialist.user, f"/messages/{conversation.pk}/", "Yes, of course.")

    assert queued_to("rowan@example.org") == []
    # The person who wrote still hears of the answer.
    assert len(queued_to("person@example.org")) == 1
