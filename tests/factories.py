"""Small factories: keyword defaults and a counter for unique values."""

import hashlib
import io
import itertools
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage
from django.utils import timezone
from PIL import Image

from accounts.models import User
from articles.models import Article, Reference
from contact.models import ContactMessage
from helplines.models import Country, Line

_counter = itertools.count(1)

# What make_email puts in a message, for tests that look for it afterwards.
ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
PRIVATE_LINK = "https://example.org/consultations/manage/private-token/"


def unique_number():
    """The next value of the counter every factory uses for unique values."""
    return next(_counter)


def make_user(**overrides):
    n = next(_counter)
    fields = {"email": f"user{n}@example.com", "password": "a-long-test-password"}
    fields.update(overrides)
    return User.objects.create_user(**fields)


def make_verified_user(**overrides):
    user = make_user(**overrides)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def make_staff(**overrides):
    # Logging in needs a verified address (ACCOUNT_EMAIL_VERIFICATION).
    return make_verified_user(is_staff=True, **overrides)


def make_article(**overrides):
    n = next(_counter)
    fields = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "summary": f"Summary of article {n}.",
        "body": f"Opening paragraph {n}.\n\n## First section\n\nSection text.\n",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timezone.timedelta(days=1),
    }
    fields.update(overrides)
    return Article.objects.create(**fields)


def make_reference(article, **overrides):
    n = next(_counter)
    fields = {
        "position": n,
        "authors": f"Author, A. {n}.",
        "year": 2000,
        "title": f"Reference title {n}",
        "source": "Journal of Examples",
        "annotation": f"Why reference {n} matters.",
    }
    fields.update(overrides)
    return Reference.objects.create(article=article, **fields)


def make_specialist(*, topics=(), languages=(), **overrides):
    from specialists.models import Specialist

    n = next(_counter)
    fields = {
        "user": overrides.pop("user", None) or make_user(),
        "slug": f"specialist-{n}",
        "display_name": f"Specialist {n}",
        "headline": "Clinical psychologist",
        "status": Specialist.Status.APPROVED,
        "time_zone": "Europe/Berlin",
        "offers_free_consultation": True,
        # Video is offered by default, so it comes with its link.
        "video_link": f"https://meet.example.org/room-{n}",
    }
    fields.update(overrides)
    specialist = Specialist.objects.create(**fields)
    specialist.topics.set(topics)
    specialist.languages.set(languages)
    return specialist


def jpeg_bytes(size=(400, 400), colour=(120, 160, 170), **save_options):
    """A plain JPEG; `save_options` go to Pillow (exif=, comment=, …)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", **save_options)
    return buffer.getvalue()


def make_bookable_specialist(windows=None, **overrides):
    """An approved specialist offering free consultations on weekdays 09:00–17:00
    (their local time) unless other `windows` [(weekday, "HH:MM", "HH:MM")] are given."""
    from consultations.models import Availability, WeeklyWindow
    from consultations.services import refresh_free_slots

    specialist = make_specialist(**overrides)
    availability = Availability.objects.create(specialist=specialist)
    for weekday, start, end in windows or [(d, "09:00", "17:00") for d in range(5)]:
        WeeklyWindow.objects.create(
            availability=availability, weekday=weekday, start=start, end=end
        )
    refresh_free_slots(specialist)
    return specialist


def index_with_even_neighbours(free, around=3):
    """The index of a free slot with `around` free slots right before and after
    it, each 30 minutes apart: the middle of a day's hours, wherever the clock
    stands when the test runs (near the end of a day, the first free slots are
    split by the night)."""
    step = timedelta(minutes=30)
    for i in range(around, len(free) - around):
        window = free[i - around : i + around + 1]
        if all(b - a == step for a, b in itertools.pairwise(window)):
            return i
    raise AssertionError("no run of free slots long enough")


def make_booking(specialist=None, **overrides):
    """A confirmed booking, a week ahead unless `start` is given."""
    from consultations.models import Booking

    n = next(_counter)
    next_hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    fields = {
        "specialist": specialist or make_bookable_specialist(),
        "start": next_hour + timedelta(days=7, hours=n),
        "name": "Sam Visitor",
        "email": "sam@example.org",
        "preferred_format": "video",
        "contact_preferences": "Evenings, by email",
        "note": "Harassment by my manager at work.",
        "visitor_time_zone": "Asia/Kolkata",
        "consented_at": timezone.now(),
        "manage_token_hash": hashlib.sha256(f"token-{n}".encode()).hexdigest(),
        "form_token": f"form-{n}",
    }
    fields.update(overrides)
    return Booking.objects.create(**fields)


def make_conversation(*, user=None, specialist=None, messages=1):
    """A conversation started the way the site starts one (with its visitor
    number), with `messages` messages from the person."""
    from messaging.models import Message
    from messaging.services import start_conversation

    conversation = start_conversation(
        user=user or make_verified_user(),
        specialist=specialist or make_specialist(),
    )
    for n in range(messages):
        message = Message.objects.create(
            conversation=conversation, sender=conversation.user, body=f"Message {n}"
        )
        conversation.last_message_at = message.created_at
    conversation.save()
    return conversation


def make_question(**overrides):
    from questions.models import Question

    n = next(_counter)
    fields = {
        "title": f"How do I cope, part {n}?",
        "body": f"Details of question {n}.",
        "is_anonymous": True,
    }
    fields.update(overrides)
    if "author" not in fields:
        fields["author"] = make_verified_user()
    return Question.objects.create(**fields)


def make_answer(question, **overrides):
    from questions.models import Answer

    n = next(_counter)
    fields = {"body": f"Answer text {n}."}
    fields.update(overrides)
    if "specialist" not in fields:
        fields["specialist"] = make_specialist()
    return Answer.objects.create(question=question, **fields)


def make_contact_message(**overrides):
    n = next(_counter)
    fields = {"subject": f"Subject {n}", "message": f"Message {n}."}
    fields.update(overrides)
    if "user" not in fields:
        fields["user"] = make_verified_user()
    return ContactMessage.objects.create(**fields)


def make_email(**overrides):
    """An outgoing email (not saved) with a private link and a calendar file."""
    fields = {
        "subject": "Your appointment on Tuesday 24 March at 14:00 (Europe/Berlin)",
        "body": f"Your private link: {PRIVATE_LINK}\n",
        "to": ["visitor@example.org"],
        "reply_to": ["help@example.org"],
    }
    fields.update(overrides)
    message = EmailMessage(**fields)
    message.attach("appointment.ics", ICS, "text/calendar; method=REQUEST")
    return message


def make_country(code="GB", **overrides):
    fields = {
        "code": code,
        "emergency_number": "999",
        "emergency_source_url": "https://example.org/emergency",
        "last_checked": timezone.localdate(),
    }
    fields.update(overrides)
    return Country.objects.create(**fields)


def make_line(country=None, **overrides):
    n = next(_counter)
    fields = {
        "country": country,
        "key": f"line-{n}",
        "kind": Line.Kind.CRISIS,
        "name": f"Line {n}",
        "purpose": "Someone to talk to.",
        "phone": f"0800 {n:03d} 000",
        "hours": "24 hours, every day",
        "cost": "Free",
        "source_url": "https://example.org/source",
        "last_checked": timezone.localdate(),
        "position": n,
    }
    fields.update(overrides)
    return Line.objects.create(**fields)
