"""The site's routes, read from the URLconf, and a small world of people and
objects to request them with: the access matrix and the CSRF test walk the
same list, so a new route shows up in both."""

import re
import secrets
from dataclasses import dataclass

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from articles.models import Article
from consultations.models import Booking, CalendarFeed
from messaging.models import Message
from specialists.models import Specialist
from tests.factories import (
    make_answer,
    make_article,
    make_bookable_specialist,
    make_booking,
    make_conversation,
    make_question,
    make_specialist,
    make_verified_user,
)


@dataclass(frozen=True)
class Route:
    key: str  # the URL name with its namespace, or the pattern when unnamed
    pattern: str
    callback: object


def all_routes(resolver=None, prefix="", namespace=None):
    """Every route of the URLconf, includes followed."""
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            routes += all_routes(entry, prefix + str(entry.pattern), inner or namespace)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            key = entry.name and (
                f"{namespace}:{entry.name}" if namespace else entry.name
            )
            routes.append(Route(key or pattern, pattern, entry.callback))
    return routes


def route_key(route):
    """The admin's routes share one key: they are all checked the same way."""
    if route.key.startswith("admin:") or route.pattern.startswith("admin/"):
        return "admin:*"
    return route.key


def admin_urls():
    """One address per admin route, with "1" for every object id."""
    urls = []
    for route in all_routes():
        if route_key(route) != "admin:*":
            continue
        path = route.pattern.replace("(?P<url>.*)$", "no-such-page/")
        path = path.replace("^([^/]+)/history/([^/]+)/$", "1/history/1/")
        path = re.sub(r"\^\(\?P<app_label>[^)]*\)/\$", "accounts/", path)
        path = re.sub(r"<[^>]+>", "1", path)
        urls.append("/" + path)
    return urls


@dataclass
class World:
    """A person who wrote to a specialist, booked and asked; an outsider of
    each kind; staff with two-factor authentication; and objects nobody but
    their owner (or staff) may see."""

    person: object
    specialist: Specialist
    other_user: object
    other_specialist: Specialist
    staff: object
    conversation: object
    reply: Message
    booking: Booking
    booking_token: str
    feed_token: str
    question: object
    answer: object
    hidden_question: object
    hidden_answer: object
    pending: Specialist
    draft: Article

    def user(self, role):
        return {
            "anonymous": None,
            "other_user": self.other_user,
            "other_specialist": self.other_specialist.user,
            "person": self.person,
            "specialist": self.specialist.user,
            "staff": self.staff,
        }[role]

    def client(self, role, **options):
        client = Client(**options)
        if (user := self.user(role)) is not None:
            client.force_login(user)
        return client


def build_world():
    person = make_verified_user(email="owner-person@example.org", name="Owner Person")
    specialist = make_bookable_specialist(
        user=make_verified_user(),
        display_name="Owner Specialist",
        registration_number="REG-OWNER-4711",
    )
    other_specialist = make_specialist(user=make_verified_user())
    staff = make_verified_user(is_staff=True)
    TOTP.activate(staff, generate_totp_secret())
    conversation = make_conversation(user=person, specialist=specialist)
    reply = Message.objects.create(
        conversation=conversation,
        sender=specialist.user,
        body="Private reply for the owner",
    )
    token = secrets.token_urlsafe(32)
    booking = make_booking(
        specialist=specialist,
        name="Owner Booker",
        email=person.email,
        booked_by=person,
        manage_token_hash=Booking.hash_token(token),
    )
    question = make_question(author=person)
    hidden_question = make_question(author=person, is_hidden=True)
    return World(
        person=person,
        specialist=specialist,
        other_user=make_verified_user(),
        other_specialist=other_specialist,
        staff=staff,
        conversation=conversation,
        reply=reply,
        booking=booking,
        booking_token=token,
        feed_token=CalendarFeed.issue(specialist),
        question=question,
        answer=make_answer(question, specialist=specialist),
        hidden_question=hidden_question,
        hidden_answer=make_answer(hidden_question, specialist=other_specialist),
        pending=make_specialist(
            user=make_verified_user(), status=Specialist.Status.PENDING
        ),
        draft=make_article(status=Article.Status.DRAFT, published_at=None),
    )
