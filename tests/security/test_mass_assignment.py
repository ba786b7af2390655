"""Mass assignment: every ModelForm names its fields, and fields posted to a
form's view beyond those change nothing.

Each view test posts a valid form plus HOSTILE (ownership, status, staff
flags, ids, tokens) and compares every row of every model before and after:
only the fields the form offers, and the rows the action creates, differ.
"""

import importlib
import re
from datetime import timedelta

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone

from accounts.models import User
from consultations import services as consultation_services
from consultations.models import Availability, Booking, CalendarFeed
from contact.models import ContactMessage
from core.models import Topic
from questions.models import Question
from specialists.models import Specialist
from tests.factories import (
    make_bookable_specialist,
    make_specialist,
    make_verified_user,
)

PROJECT_APPS = [
    config.name
    for config in apps.get_app_configs()
    if config.path.startswith(str(settings.BASE_DIR))
]


def project_model_forms():
    for app in PROJECT_APPS:
        for module in ("forms", "admin", "views"):
            try:
                importlib.import_module(f"{app}.{module}")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.{module}":
                    raise
    found, todo = set(), [forms.ModelForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.split(".")[0] in PROJECT_APPS:
                found.add(subclass)
    return sorted(found, key=lambda form: f"{form.__module__}.{form.__name__}")


def test_every_model_form_of_the_project_names_its_fields():
    model_forms = project_model_forms()
    named = {f"{form.__module__}.{form.__name__}" for form in model_forms}

    # Discovery works: the forms this test was written against are found.
    assert {
        "accounts.forms.DisplayNameForm",
        "accounts.admin.UserEditForm",
        "consultations.forms.BookingForm",
        "contact.forms.ContactForm",
        "questions.forms.QuestionForm",
        "specialists.forms.SpecialistForm",
    } <= named
    for form in model_forms:
        meta = form._meta
        assert isinstance(meta.fields, list | tuple), form
        assert not meta.exclude, form


def snapshot():
    """Every row of every model, by primary key, field by field. Sessions
    aside: every request renews the session's expiry (the idle time limit)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.proxy or model is Session:  # a proxy's rows are its model's
            continue
        label = model._meta.label_lower
        fields = [f.attname for f in model._meta.concrete_fields]
        pk = model._meta.pk.attname
        for row in model._base_manager.values(*fields):
            rows[(label, row[pk])] = row
    return rows


def changes(before, after):
    """{"model.field"} changed in existing rows, {"+model"} for new rows and
    {"-model"} for deleted ones."""
    changed = set()
    for key in before.keys() | after.keys():
        label = key[0]
        if key not in before:
            changed.add(f"+{label}")
        elif key not in after:
            changed.add(f"-{label}")
        else:
            changed |= {
                f"{label}.{name}"
                for name, value in before[key].items()
                if after[key][name] != value
            }
    return changed


@pytest.fixture
def people(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    victim = make_verified_user(email="victim@example.org")
    return {
        "poster": make_verified_user(email="poster@example.org", name="Poster"),
        "victim": victim,
        "victim_specialist": make_specialist(user=make_verified_user()),
    }


def hostile(people, *, allowed=()):
    """Fields no form of the site offers, pointing at someone else's rows or
    at privileges. `allowed` names those the form does offer."""
    victim, specialist = people["victim"], people["victim_specialist"]
    data = {
        "user": victim.pk,
        "author": victim.pk,
        "owner": victim.pk,
        "booked_by": victim.pk,
        "sender": victim.pk,
        "specialist": specialist.pk,
        "status": "approved",
        "is_staff": "on",
        "is_superuser": "on",
        "is_active": "",
        "verified": "on",
        "approved": "on",
        "is_hidden": "on",
        "is_accepted": "on",
        "id": "1",
        "pk": "1",
        "slug": "taken-over",
        "review_note": "Approved by hand",
        "manage_token_hash": "0" * 64,
        "token_hash": "0" * 64,
        "created_at": "2000-01-01T00:00:00Z",
        "date_joined": "2000-01-01T00:00:00Z",
        "submitted_at": "2000-01-01T00:00:00Z",
        "reviewed_at": "2000-01-01T00:00:00Z",
        "password": "md5$x$y",
    }
    return {key: value for key, value in data.items() if key not in allowed}


def post(client, user, url, data):
    if user is not None:
        client.force_login(user)
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(
        r"error[^<]*<[^<]*", response.content.decode()
    )
    return changes(before, snapshot())


def test_display_name_form_changes_the_name_only(client, people):
    poster = people["poster"]

    changed = post(
        client, poster, "/account/name/", {"name": "New Name", **hostile(people)}
    )

    assert changed == {"accounts.user.name"}
    poster.refresh_from_db()
    assert poster.name == "New Name"
    assert not (poster.is_staff or poster.is_superuser)


def test_contact_form_writes_a_message_from_the_poster_only(client, people):
    data = {"subject": "Hello", "message": "My words", **hostile(people)}

    changed = post(client, people["poster"], "/contact/", data)

    assert changed - {"+outbox.outboxmessage"} == {"+contact.contactmessage"}
    message = ContactMessage.objects.get()
    assert message.user == people["poster"]
    assert message.created_at > timezone.now() - timedelta(minutes=1)


def test_question_form_asks_as_the_poster_and_visible(client, people):
    topic = Topic.objects.create(name="Online harassment", slug="online")
    data = {
        "title": "How do I keep a record of messages?",
        "body": "Details of my question.",
        "topic": topic.pk,
        **hostile(people),
    }

    changed = post(client, people["poster"], "/questions/ask/", data)

    assert changed - {"+outbox.outboxmessage"} == {"+questions.question"}
    question = Question.objects.get()
    assert question.author == people["poster"]
    assert not question.is_hidden


PROFILE = {
    "display_name": "Dr Rowan Example",
    "headline": "Clinical psychologist",
    "bio": "I work with people after harassment.",
    "offers_video": "on",
    "video_link": "https://meet.example.org/rowan",
    "time_zone": "Europe/Berlin",
    "city": "Berlin",
    "country": "DE",
    "registration_number": "PSY-12345",
    "offers_free_consultation": "on",
    "accepting_new_clients": "on",
}


def test_new_profile_belongs_to_the_poster_and_waits_as_a_draft(client, people):
    data = {**PROFILE, **hostile(people)}

    changed = post(client, people["poster"], "/specialists/new/", data)

    assert changed - {"+outbox.outboxmessage"} == {"+specialists.specialist"}
    profile = Specialist.objects.get(user=people["poster"])
    assert profile.status == Specialist.Status.DRAFT
    assert profile.slug == "dr-rowan-example"
    assert profile.review_note == ""
    assert profile.reviewed_at is None


def test_editing_a_profile_changes_only_the_form_s_fields(client, people):
    profile = make_specialist(
        user=people["poster"], slug="rowan", status=Specialist.Status.DRAFT
    )
    data = {**PROFILE, **hostile(people)}

    changed = post(client, people["poster"], "/specialists/me/edit/", data)

    form_fields = {Specialist._meta.get_field(name).attname for name in PROFILE}
    allowed = {f"specialists.specialist.{name}" for name in form_fields}
    # Derived from the form's fields on save.
    allowed |= {
        f"specialists.specialist.{name}"
        for name in ("updated_at", "bio_html", "search_text")
    }
    assert changed - {"+outbox.outboxmessage"} <= allowed
    profile.refresh_from_db()
    assert (profile.user, profile.status, profile.slug) == (
        people["poster"],
        Specialist.Status.DRAFT,
        "rowan",
    )


def test_email_preferences_change_the_preferences_only(client, people):
    profile = make_specialist(user=people["poster"])
    data = {"email_new_messages": "on", **hostile(people)}

    changed = post(client, people["poster"], "/specialists/me/notifications/", data)

    # Review updates unticked: the one change the form was asked for.
    assert changed - {"specialists.specialist.updated_at"} == {
        "specialists.specialist.email_review_updates"
    }
    profile.refresh_from_db()
    assert (profile.user, profile.status) == (
        people["poster"],
        Specialist.Status.APPROVED,
    )


def test_availability_changes_the_poster_s_hours_only(client, people):
    specialist = make_bookable_specialist(user=people["poster"])
    victim = make_bookable_specialist(user=make_verified_user())
    their_hours = list(victim.availability.windows.values())
    data = {
        "action": "save",
        "minimum_notice_hours": "2",
        "horizon_days": "30",
        "offers_free_consultation": "on",
        "mon-0-start": "09:00",
        "mon-0-end": "12:00",
        **hostile(people),
        "specialist": victim.pk,
    }

    post(client, people["poster"], "/specialists/me/availability/", data)

    availability = Availability.objects.get(specialist=specialist)
    assert availability.minimum_notice_hours == 2
    assert list(victim.availability.windows.values()) == their_hours
    assert Availability.objects.get(pk=victim.availability.pk).specialist == victim


def test_calendar_names_change_the_setting_only(client, people):
    specialist = make_specialist(user=people["poster"])
    CalendarFeed.issue(specialist)
    token_hash = CalendarFeed.objects.get().token_hash
    data = {"show_visitor_names": "on", **hostile(people)}

    changed = post(client, people["poster"], "/specialists/me/calendar/names/", data)

    assert changed == {"consultations.calendarfeed.show_visitor_names"}
    feed = CalendarFeed.objects.get()
    assert (feed.specialist, feed.token_hash) == (specialist, token_hash)


def test_booking_is_confirmed_for_the_page_s_specialist_and_nobody_s_account(
    client, people
):
    specialist = make_bookable_specialist(slug="rowan")
    slot = consultation_services.free_slots(specialist)[0]
    data = {
        "slot": slot.isoformat(),
        "token": "form-token-1",
        "tz": "America/New_York",
        "name": "Sam",
        "email": "sam@example.org",
        "preferred_format": "video",
        "contact_preferences": "Email only",
        "note": "",
        "consent": "on",
        **hostile(people),
        "status": Booking.Status.COMPLETED,
    }

    post(client, None, "/specialists/rowan/book/", data)

    booking = Booking.objects.get()
    assert booking.specialist == specialist
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.booked_by is None
    assert booking.manage_token_hash != "0" * 64
    assert not User.objects.filter(is_staff=True).exists()
