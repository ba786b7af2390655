import json

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from contact.models import ContactMessage
from messaging.models import Message
from outbox.models import OutboxMessage
from tests.factories import (
    make_bookable_specialist,
    make_contact_message,
    make_conversation,
    make_verified_user,
)

PASSWORD = "a-long-test-password"


@pytest.fixture
def writer(db):
    """A verified user who has written to us."""
    user = make_verified_user(email="writer@example.org", name="Sam")
    make_contact_message(user=user, subject="My subject", message="My words")
    return user


def test_your_data_page_lists_what_the_site_holds(client, writer):
    client.force_login(writer)

    content = client.get("/account/data/").content.decode()

    for shown in [
        "writer@example.org",
        "Sam",
        "My subject",
        "My words",
        "Messages to us",
    ]:
        assert shown in content


def test_your_data_needs_a_login(client, db):
    response = client.get("/account/data/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/account/data/")


def test_download_has_everything_as_json(client, writer):
    client.force_login(writer)

    response = client.get("/account/data/download/")

    assert response["Content-Disposition"] == 'attachment; filename="your-data.json"'
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["Account"][0]["email"] == "writer@example.org"
    assert data["Email addresses"] == [
        {"email": "writer@example.org", "verified": True, "primary": True}
    ]
    assert data["Messages to us"][0]["message"] == "My words"


def test_wrong_password_does_not_delete_the_account(client, writer):
    client.force_login(writer)

    response = client.post("/account/delete/", {"password": "not my password"})

    assert response.status_code == 200
    assert "This is not your password." in response.content.decode()
    assert User.objects.filter(pk=writer.pk).exists()


def test_deleting_removes_the_account_and_everything_only_theirs(client, writer):
    client.force_login(writer)

    response = client.post("/account/delete/", {"password": PASSWORD}, follow=True)

    assert "Your account and your data have been deleted." in response.content.decode()
    assert not User.objects.filter(pk=writer.pk).exists()
    assert not EmailAddress.objects.filter(email="writer@example.org").exists()
    assert not ContactMessage.objects.exists()
    assert "_auth_user_id" not in client.session


def test_deleting_forgets_the_emails_about_the_person_sent_or_not(client, db, settings):
    settings.MANAGERS = [("", "managers@example.org")]
    user = make_verified_user(email="writer@example.org")
    other = make_verified_user(email="other@example.org")
    client.force_login(user)
    client.post("/contact/", {"subject": "Mine", "message": "My words"})
    client.force_login(other)
    client.post("/contact/", {"subject": "Theirs", "message": "Their words"})
    assert OutboxMessage.objects.unsent().count() == 2  # never committed here
    client.force_login(user)

    client.post("/account/delete/", {"password": PASSWORD})

    [kept] = OutboxMessage.objects.all()
    assert "Their words" in kept.body


def test_every_model_with_a_user_is_covered_by_your_data():
    """A new table holding a user's data must be added to accounts.personal_data
    (listed, exported) before this test passes again."""
    from django.apps import apps

    from accounts import personal_data

    titles = {str(title) for title, _collect in personal_data._sections}
    covered = {
        "accounts.User": "Account",
        "account.EmailAddress": "Email addresses",
        "mfa.Authenticator": "Two-factor authentication",
        "contact.ContactMessage": "Messages to us",
        "specialists.Specialist": "Your specialist profile",
        "messaging.Conversation": "Messages you sent",
        "messaging.Message": "Messages you sent",
        "messaging.Report": "Messages you reported",
        "consultations.Booking": "Free consultations booked with your email or account",
        "questions.Question": None,
        "questions.Answer": None,
        "questions.Vote": None,
        "questions.Report": None,
    }
    user_model = apps.get_model("accounts", "User")
    holding = set()
    for model in apps.get_models():
        if model._meta.app_label in (
            "admin",
            "sessions",
            "usersessions",
            "socialaccount",
        ):
            continue
        if model._meta.label.startswith(("auth.", "account.EmailConfirmation")):
            continue
        if model.__name__.startswith("Historical"):
            continue
        if model._meta.proxy:  # its rows are its concrete model's
            continue
        for field in model._meta.get_fields():
            if getattr(field, "related_model", None) is user_model and field.concrete:
                holding.add(model._meta.label)
    assert holding - set(covered) == set(), "add these to accounts/personal_data"
    for label, title in covered.items():
        if title:
            assert title in titles, label


BOOKINGS = "Free consultations booked with your email or account"


def book_as_visitor(specialist, **details):
    """A booking made without signing in, as anyone can."""
    from consultations import services

    booking, _token = services.book_consultation(
        specialist=specialist,
        start=services.free_slots(specialist)[0],
        form_token=f"t-{details['email']}",
        manage_url=lambda token: "http://testserver/x/",
        preferred_format="video",
        **details,
    )
    return booking


def test_a_booking_made_with_the_address_but_not_signed_in_shows_no_details(
    client, writer
):
    """Someone else may have typed (or mistyped) this address: the account's
    owner learns that a booking exists, not what its author wrote."""

    book_as_visitor(
        make_bookable_specialist(display_name="Rowan"),
        name="A Stranger",
        email="Writer@Example.org",
        contact_preferences="Call me after 6 on 0123 456",
        note="My private note",
    )
    client.force_login(writer)

    data = json.loads(client.get("/account/data/download/").content)
    page = client.get("/account/data/").content.decode()

    [booking] = data[BOOKINGS]
    assert booking["specialist"] == "Rowan"
    assert set(booking) == {"specialist", "start", "status"}
    assert "Rowan" in page
    for private in ("My private note", "A Stranger", "0123 456"):
        assert private not in page
        assert private not in json.dumps(data)


def test_a_booking_made_while_signed_in_shows_everything(client, writer):
    from django.core.cache import cache

    from consultations import services
    from consultations.models import Booking

    cache.clear()
    specialist = make_bookable_specialist(slug="rowan", display_name="Rowan")
    client.force_login(writer)
    slot = services.free_slots(specialist)[0]

    response = client.post(
        "/specialists/rowan/book/",
        {
            "slot": slot.isoformat(),
            "token": "form-token-1",
            "tz": "Europe/Berlin",
            "name": "Sam",
            # Another address than the account's: still the account's booking.
            "email": "sam.other@example.org",
            "preferred_format": "video",
            "contact_preferences": "Email only",
            "note": "My private note",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert Booking.objects.get().booked_by == writer
    # And one a stranger made with the account's address.
    book_as_visitor(
        specialist, name="A Stranger", email="writer@example.org", note="Not yours"
    )

    data = json.loads(client.get("/account/data/download/").content)
    page = client.get("/account/data/").content.decode()

    [mine] = [row for row in data[BOOKINGS] if "note" in row]
    [theirs] = [row for row in data[BOOKINGS] if "note" not in row]
    assert mine["note"] == "My private note"
    assert mine["email"] == "sam.other@example.org"
    assert mine["contact_wishes"] == ["Email only"]
    assert set(theirs) == {"specialist", "start", "status"}
    assert "My private note" in page
    assert "Not yours" not in page
    assert "A Stranger" not in page


def test_deleting_the_account_cancels_its_upcoming_bookings_and_clears_them(
    client, writer
):
    """The specialist is told and the slot freed; the row stays for counts,
    with nothing personal (see tests/privacy/test_erasure.py)."""
    from consultations.models import Booking

    booking = book_as_visitor(
        make_bookable_specialist(), name="Sam", email="sam@example.org"
    )
    Booking.objects.filter(pk=booking.pk).update(booked_by=writer)

    writer.delete()

    booking.refresh_from_db()
    assert booking.booked_by is None
    assert booking.status == "cancelled"
    assert (booking.name, booking.email, booking.note) == ("", "", "")


def test_your_data_and_download_work_after_the_specialist_written_to_left(client, db):
    """The conversation's specialist is None once they delete their account."""
    person = make_verified_user()
    conversation = make_conversation(user=person)
    Message.objects.create(
        conversation=conversation,
        sender=conversation.specialist.user,
        body="A reply from the specialist",
    )
    conversation.specialist.user.delete()
    client.force_login(person)

    page = client.get("/account/data/")
    download = client.get("/account/data/download/")

    assert page.status_code == 200
    assert "A specialist who has left" in page.content.decode()
    assert "A reply from the specialist" in page.content.decode()
    data = json.loads(download.content)
    assert data["Messages you sent"][0]["to"] == "A specialist who has left"
    assert data["Messages you received"][0]["message"] == "A reply from the specialist"


def test_your_data_works_for_a_specialist_whose_correspondent_left(client, db):
    conversation = make_conversation()
    specialist_user = conversation.specialist.user
    Message.objects.create(
        conversation=conversation, sender=specialist_user, body="My reply"
    )
    conversation.user.delete()
    client.force_login(specialist_user)

    page = client.get("/account/data/")
    download = client.get("/account/data/download/")

    assert page.status_code == 200
    assert "My reply" in page.content.decode()
    assert json.loads(download.content)["Messages you sent"][0]["message"] == "My reply"
