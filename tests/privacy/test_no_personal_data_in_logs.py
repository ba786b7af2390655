"""No personal data in any log line: names, emails, tokens, message text.

The journey below signs up, books (with name, email, phone and note), moves
and cancels the consultation through its private link, writes to a
specialist and gets an answer, asks a question, writes to the team and sets
a display name, with every logger at DEBUG. Every submitted value is a unique
marker; no record may carry one, in its message, its arguments or its
exception text.

It runs with DEBUG off, as in production. With DEBUG on (development only),
django.db.backends logs every SQL statement with its parameters at DEBUG,
personal data included: that is Django's query log for a developer's own
machine, never switched on where real people's data is.
"""

import logging
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from consultations import services
from core.models import Topic
from tests.factories import make_bookable_specialist, make_verified_user

LOGGERS = [
    "",  # the root
    "django",
    "django.request",
    "django.server",
    "django.db.backends",
    "django.template",
    "django.security.csrf",
]
PASSWORD = "pw-Marker-7310-long"
SIGNUP_EMAIL = "signup-marker-7310@example.org"
VISITOR = {
    "name": "Visitorname Marker7310",
    "email": "visitor-marker-7310@example.org",
    "visitor_phone": "+44 7700 973100",
    "contact_preferences": "Contactpref marker 7310",
    "note": "Bookingnote marker 7310 about my manager",
}
CANCEL_REASON = "Cancelreason marker 7310"
MESSAGE = "Messagebody marker 7310, please call me"
REPLY = "Replybody marker 7310"
QUESTION = {"title": "Questiontitle marker 7310 here?", "body": "Questionbody 7310"}
CONTACT = {"subject": "Contactsubject 7310", "message": "Contactmessage marker 7310"}
DISPLAY_NAME = "Displayname 7310"


@pytest.fixture
def every_record(caplog):
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name or None)
    return caplog


def texts_of(record):
    """All a handler could write for this record, and its raw arguments."""
    yield logging.Formatter("%(name)s %(message)s").format(record)
    yield repr(record.args)
    yield record.exc_text or ""


def test_a_whole_journey_leaves_no_personal_data_in_any_log_record(
    db, every_record, django_capture_on_commit_callbacks
):
    assert not settings.DEBUG  # as in production; see the module docstring
    cache.clear()
    specialist_user = make_verified_user(email="specialist-marker-7310@example.org")
    member = make_verified_user(email="member-marker-7310@example.org")
    specialist = make_bookable_specialist(user=specialist_user, slug="rowan")
    topic = Topic.objects.create(name="Work", slug="work")
    free = services.free_slots(specialist)
    markers = [
        PASSWORD,
        SIGNUP_EMAIL,
        specialist_user.email,
        member.email,
        *VISITOR.values(),
        CANCEL_REASON,
        MESSAGE,
        REPLY,
        *QUESTION.values(),
        *CONTACT.values(),
        DISPLAY_NAME,
    ]

    with django_capture_on_commit_callbacks(execute=True):
        visitor = Client()
        signup = {"email": SIGNUP_EMAIL, "password1": PASSWORD, "password2": PASSWORD}
        assert visitor.post("/accounts/signup/", signup).status_code == 302
        # A failed login with the same address and a wrong password.
        visitor.post("/accounts/login/", {"login": SIGNUP_EMAIL, "password": "x"})

        booker = Client()
        slot = free[0].astimezone(ZoneInfo("Europe/Berlin")).isoformat()
        booking = {
            "slot": slot,
            "token": "form-token-7310",
            "tz": "Europe/Berlin",
            "preferred_format": "video",
            "consent": "on",
            **VISITOR,
        }
        refused = booker.post("/specialists/rowan/book/", {**booking, "consent": ""})
        assert refused.status_code == 400  # an invalid form, logged as a 4xx
        assert booker.post("/specialists/rowan/book/", booking).status_code == 302
        token = booker.session["booked_token"]
        markers.append(token)
        manage = f"/consultations/manage/{token}/"
        assert booker.get(manage).status_code == 200
        moved = booker.post(f"{manage}reschedule/", {"slot": free[2].isoformat()})
        assert moved.status_code == 302
        booker.post(f"{manage}reschedule/", {"slot": "not-a-slot"})  # a 409
        cancelled = booker.post(f"{manage}cancel/", {"reason": CANCEL_REASON})
        assert cancelled.status_code == 302

        person = Client()
        person.force_login(member)
        sent = person.post("/specialists/rowan/message/", {"body": MESSAGE})
        assert sent.status_code == 302
        conversation = sent["Location"]
        answerer = Client()
        answerer.force_login(specialist_user)
        assert answerer.post(conversation, {"body": REPLY}).status_code == 302
        asked = person.post(
            "/questions/ask/", {**QUESTION, "topic": topic.pk, "is_anonymous": "on"}
        )
        assert asked.status_code == 302
        assert person.post("/contact/", CONTACT).status_code == 302
        named = person.post("/account/name/", {"name": DISPLAY_NAME})
        assert named.status_code == 302

    assert every_record.records, "the journey logged nothing at all"
    leaks = [
        (record.name, marker)
        for record in every_record.records
        for text in texts_of(record)
        for marker in markers
        if marker.lower() in text.lower()
    ]
    assert sorted(set(leaks)) == []
