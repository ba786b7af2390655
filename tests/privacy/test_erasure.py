"""After an account is deleted, no table and no media file holds the person's
email address, name or photo; the data export holds all that is theirs and
nothing of anyone else's."""

import json
import uuid
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client
from django.utils import timezone

from consultations import services as consultations
from consultations.models import Booking
from contact.services import send_contact_message
from messaging.services import send_message
from outbox.models import OutboxMessage
from questions.models import Report as QuestionReport
from questions.models import Vote
from tests.factories import (
    jpeg_bytes,
    make_answer,
    make_bookable_specialist,
    make_booking,
    make_question,
    make_specialist,
    make_verified_user,
)

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def manage_url(token):
    return f"http://testserver/consultations/manage/{token}/"


def everything_of(marker, *, other):
    """A person with data in every app, their email, name and display name
    carrying `marker`; `other` is the specialist they book and write to."""
    user = make_verified_user(
        email=f"{marker.lower()}@example.org", name=f"{marker}name"
    )
    profile = make_specialist(user=user, display_name=f"{marker}display")
    profile.photo.save(f"{marker.lower()}.jpg", ContentFile(jpeg_bytes()))
    free = consultations.free_slots(other)
    visitor = {"preferred_format": "video", "note": f"{marker} note"}
    # Booked without signing in, with the account's address.
    consultations.book_consultation(
        specialist=other, start=free[0], form_token=uuid.uuid4().hex,
        manage_url=manage_url, name=f"{marker}name", email=user.email, **visitor,
    )  # fmt: skip
    # Booked while signed in, and one that took place last month.
    consultations.book_consultation(
        specialist=other, start=free[1], form_token=uuid.uuid4().hex,
        manage_url=manage_url, name=f"{marker}name", email=f"{marker}@other.org",
        booked_by=user, **visitor,
    )  # fmt: skip
    make_booking(
        specialist=other,
        start=timezone.now() - timedelta(days=30),
        status=Booking.Status.COMPLETED,
        name=f"{marker}name",
        email=user.email,
    )
    send_message(sender=user, body="Hello", specialist=other)
    question = make_question(author=user)
    answer = make_answer(question, specialist=other)
    Vote.objects.create(answer=answer, user=user)
    QuestionReport.objects.create(question=question, reporter=user, reason="x")
    send_contact_message(user=user, subject="Hello", message="A question")
    return user, profile


def rows_holding(markers):
    """(model, field) of every text, char or JSON value in every table that
    holds one of `markers`."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                text = json.dumps(value) if not isinstance(value, str) else value
                found += [
                    (model._meta.label, name)
                    for marker in markers
                    if marker.lower() in (text or "").lower()
                ]
    return found


def test_after_deletion_no_table_or_file_holds_the_persons_email_name_or_photo(
    db, media_root, django_capture_on_commit_callbacks
):
    cache.clear()
    other = make_bookable_specialist(slug="rowan")
    with django_capture_on_commit_callbacks(execute=True):
        user, profile = everything_of("Erasemarker8842", other=other)
        everything_of("Keepmarker3310", other=other)
    photo_files = {p.name for p in media_root.rglob("erasemarker8842*")}
    assert photo_files, "the photo and its thumbnails were stored"
    markers = ["Erasemarker8842", user.email]
    assert rows_holding(markers), "the person's data was stored"
    client = Client()
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    # One thing stays: the outbox keeps the recipient (name and address) of
    # the email that confirmed to the address the cancellation of its upcoming
    # consultations, sent with an empty body kept, for the retention time of
    # every email (CONSULTATION_RETENTION_DAYS, purge_consultations).
    leaks = sorted(set(rows_holding(markers)))
    assert leaks == [(OutboxMessage._meta.label, "to")]
    kept = [m for m in OutboxMessage.objects.all() if user.email in str(m.to)]
    assert [(m.subject.endswith("is cancelled"), m.body) for m in kept] == [(True, "")]
    assert not list(media_root.rglob("erasemarker8842*"))
    # Everyone else's data is untouched.
    assert rows_holding(["Keepmarker3310"])
    assert list(media_root.rglob("keepmarker3310*"))
    assert not EmailAddress.objects.filter(email__icontains="erasemarker").exists()


def test_an_unverified_address_cannot_erase_its_owners_consultations(db):
    """Anyone can sign up with someone else's address: deleting that account
    must not cancel the address owner's consultation."""
    cache.clear()
    specialist = make_bookable_specialist()
    booking, _token = consultations.book_consultation(
        specialist=specialist,
        start=consultations.free_slots(specialist)[0],
        form_token=uuid.uuid4().hex,
        manage_url=manage_url,
        name="Sam",
        email="sam@example.org",
        preferred_format="video",
    )
    impostor = make_verified_user(email="impostor@example.org")
    EmailAddress.objects.create(user=impostor, email="Sam@example.org", verified=False)

    impostor.delete()

    booking.refresh_from_db()
    assert (booking.status, booking.email) == ("confirmed", "sam@example.org")


# Every table with a column pointing at an account, and the export section
# that lists its rows (None: not the person's data, and why). A new table
# pointing at accounts fails the test below until it is placed here.
EXPORTED = {
    "accounts.User": "Account",
    "account.EmailAddress": "Email addresses",
    "mfa.Authenticator": "Two-factor authentication",
    "specialists.Specialist": "Your specialist profile",
    "consultations.Booking": "Free consultations booked with your email or account",
    "messaging.Message": "Messages you sent",
    "messaging.Report": "Messages you reported",
    # A conversation's rows are its messages, listed sent and received.
    "messaging.Conversation": None,
    "questions.Question": "Your questions",
    # Points at the specialist profile, which is the account's.
    "questions.Answer": "Your answers",
    "questions.Vote": "Answers you found helpful",
    "questions.Report": "Your reports about questions and answers",
    "contact.ContactMessage": "Messages to us",
    # What staff did in the admin and to articles: the site's records of its
    # staff's work, not data about a person.
    "admin.LogEntry": None,
    "articles.HistoricalArticle": None,
    "articles.HistoricalReference": None,
}


def pointing_at_accounts():
    """Every table with a column pointing at an account (proxies share their
    model's table)."""
    user_model = apps.get_model("accounts", "User")
    return {"accounts.User"} | {
        model._meta.label
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    }


def test_every_table_that_points_at_an_account_is_placed_in_the_export():
    assert pointing_at_accounts() | {"questions.Answer"} == set(EXPORTED)


def test_the_export_holds_all_that_is_the_persons_and_nothing_of_anyone_else(
    db, media_root, django_capture_on_commit_callbacks
):
    cache.clear()
    other = make_bookable_specialist(slug="rowan")
    with django_capture_on_commit_callbacks(execute=True):
        user, profile = everything_of("Exportmarker4471", other=other)
        stranger, _ = everything_of("Strangermarker9902", other=other)
    # The person's own profile answered a question, too.
    make_answer(make_question(author=stranger), specialist=profile, body="Mine")
    client = Client()
    client.force_login(user)

    response = client.get("/account/data/download/")

    export = json.loads(response.content)
    text = response.content.decode()
    assert "strangermarker9902" not in text.lower()
    assert export["Account"][0]["email"] == user.email
    assert export["Your specialist profile"][0]["display_name"] == profile.display_name
    counts = {
        section: len(export[section]) for section in set(EXPORTED.values()) - {None}
    }
    assert counts == {
        "Account": 1,
        "Email addresses": 1,
        "Two-factor authentication": 0,
        "Your specialist profile": 1,
        # Booked without signing in with the address, booked while signed
        # in, and the one last month.
        "Free consultations booked with your email or account": 3,
        "Messages you sent": 1,
        "Messages you reported": 0,
        "Your questions": 1,
        "Your answers": 1,
        "Answers you found helpful": 1,
        "Your reports about questions and answers": 1,
        "Messages to us": 1,
    }
