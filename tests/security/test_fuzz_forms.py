"""Hostile input to every form on the site: never a 5xx.

Each entry of FORMS names a page and the address its form posts to. The
field names are read from the page as rendered (so a field added to a form
is fuzzed without touching this file), and hypothesis posts, for every one
of them, either a value the page offers or hostile text: NUL bytes, lone
surrogates (sent as the bytes a broken client sends), right-to-left marks,
100,000 characters, huge and odd numbers, impossible dates, unknown time
zones, header injection. A route of the URLconf that is neither fuzzed nor
listed in NO_FORM with its reason fails test_every_route_is_fuzzed_or_has_no_form.

The examples stay few, so the suite stays fast, and the Markdown fields get
ordinary text: pathological Markdown is the Markdown cost limits' test.
"""

from dataclasses import dataclass
from urllib.parse import quote_plus, urlsplit

import pytest
from django.core.cache import cache
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultations import services as booking_services
from consultations.models import Booking, CalendarFeed
from consultations.views import SESSION_KEY
from core import pagecache
from core.timezones import TIME_ZONES
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
    make_staff,
    make_user,
    make_verified_user,
)
from tests.html import parse_html
from tests.security.test_nul_urls import ROUTES

FUZZ = settings(
    max_examples=15,
    database=None,  # nothing written into the checkout
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MANAGE_TOKEN = "a-private-manage-token-for-the-fuzz-booking"


@dataclass(frozen=True)
class Form:
    """A page (`page`, opened by `who`) with a form that posts to `post`
    (the page itself unless given). `fields`, when given, replaces the names
    read from the page: for endpoints that have no page of their own."""

    who: str
    page: str
    post: str = ""
    fields: tuple = ()
    page_status: int = 200

    @property
    def target(self):
        return self.post or self.page


FORMS = {
    # Anyone
    "sign up": Form("anonymous", "/accounts/signup/"),
    "log in": Form("anonymous", "/accounts/login/"),
    "password reset": Form("anonymous", "/accounts/password/reset/"),
    "help now": Form("anonymous", "/help-now/"),
    "booking": Form(
        "anonymous",
        "/specialists/{slug}/book/?slot={slot}",
        "/specialists/{slug}/book/",
    ),
    "reschedule": Form("anonymous", "/consultations/manage/{token}/reschedule/"),
    "cancel": Form(
        "anonymous",
        "/consultations/manage/{token}/",
        "/consultations/manage/{token}/cancel/",
    ),
    "email correction": Form("booker", "/consultations/booked/"),
    # A person with an account
    "display name": Form("user", "/account/name/"),
    "delete account": Form("user", "/account/delete/"),
    "resend verification": Form(
        "unverified", "/questions/ask/", "/account/verify/resend/", page_status=403
    ),
    "change email": Form("user", "/accounts/email/"),
    "change password": Form("user", "/accounts/password/change/"),
    "confirm password": Form("user", "/accounts/reauthenticate/"),
    "two-factor activation": Form("recent", "/accounts/2fa/totp/activate/"),
    "log out": Form("user", "/", "/accounts/logout/"),
    "contact": Form("user", "/contact/"),
    "question": Form("user", "/questions/ask/"),
    "question report": Form("user", "/questions/{question}/report/"),
    "answer report": Form("user", "/questions/answers/{answer}/report/"),
    "helpful": Form(
        "user", "/questions/{question}/", "/questions/answers/{answer}/helpful/"
    ),
    "accept": Form(
        "user", "/questions/{question}/", "/questions/answers/{answer}/accept/"
    ),
    "first message": Form("user", "/specialists/{other_slug}/message/"),
    "message": Form("user", "/messages/{conversation}/"),
    "block": Form(
        "user", "/messages/{conversation}/", "/messages/{conversation}/block/"
    ),
    "message report": Form(
        "user", "/messages/{conversation}/", "/messages/message/{message}/report/"
    ),
    "new profile": Form("user", "/specialists/new/"),
    "markdown preview": Form(
        "user", "/specialists/new/", "/markdownx/markdownify/", ("content",)
    ),
    # A specialist
    "profile": Form("specialist", "/specialists/me/edit/"),
    "submit profile": Form("drafter", "/specialists/me/", "/specialists/me/submit/"),
    "notifications": Form("specialist", "/specialists/me/notifications/"),
    "availability": Form("specialist", "/specialists/me/availability/"),
    "consultation update": Form(
        "specialist",
        "/specialists/me/consultations/",
        "/specialists/me/consultations/{booking}/",
    ),
    "calendar on": Form(
        "specialist", "/specialists/me/calendar/", "/specialists/me/calendar/new/"
    ),
    "calendar off": Form(
        "specialist", "/specialists/me/calendar/", "/specialists/me/calendar/off/"
    ),
    "calendar names": Form(
        "specialist", "/specialists/me/calendar/", "/specialists/me/calendar/names/"
    ),
    "answer": Form(
        "specialist", "/questions/{question}/", "/questions/{question}/answer/"
    ),
    # Staff (the admin is Django's: a sample of its forms)
    "markdown upload": Form(
        "staff", "/admin/articles/article/add/", "/markdownx/upload/", ("image",)
    ),
    "admin article": Form("staff", "/admin/articles/article/add/"),
    "admin specialist": Form(
        "staff", "/admin/specialists/specialist/{specialist_pk}/change/"
    ),
    "admin request changes": Form(
        "staff",
        "/admin/specialists/specialistreview/{pending_pk}/change/",
        "/admin/specialists/specialistreview/{pending_pk}/request-changes/",
    ),
}

# Routes with no form of their own to fuzz, and why. Their addresses are
# covered by test_nul_urls.py.
NO_FORM = {
    "": "home page",
    "for-specialists/": "page",
    "privacy/": "page",
    "articles/": "list; its GET filters are in test_nul_urls.py",
    "articles/feed/": "feed",
    "articles/<slug:slug>/": "page",
    "consultations/free/": "page",
    "consultations/booked/appointment.ics": "file",
    "consultations/manage/<str:token>/": "page; its form posts to cancel/",
    "consultations/manage/<str:token>/appointment.ics": "file",
    "consultations/calendar-feed/<str:token>.ics": "feed (GET only)",
    "specialists/me/consultations/": "list; its forms post to <int:pk>/",
    "specialists/me/calendar/": "page; its forms post to new/, off/, names/",
    "messages/": "inbox",
    "specialists/": "directory; its GET filters are in test_nul_urls.py",
    "specialists/me/": "dashboard; its form posts to submit/",
    "specialists/<slug:slug>/": "profile page",
    "questions/": "list; its GET filters are in test_nul_urls.py",
    "questions/<int:pk>/": "page; its forms post elsewhere",
    "account/data/": "page",
    "account/logged-out/": "page",
    "account/deleted/": "page",
    "account/data/download/": "file",
    "sitemap.xml": "file",
    "robots.txt": "file",
    "healthz": "health check (GET only)",
    "^media/(?P<path>.*)$": "files",
    "accounts/inactive/": "page",
    "accounts/confirm-email/": "page",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": "one button; the key is in the address",
    "accounts/password/set/": "only for accounts without a password (none here)",
    "accounts/password/reset/done/": "page",
    "accounts/password/reset/key/done/": "page",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "allauth's set-password form, as fuzzed on password change"
    ),
    "accounts/login/code/confirm/": "login by code is off",
    "accounts/2fa/": "page",
    "accounts/2fa/authenticate/": "only halfway through a two-factor login",
    "accounts/2fa/reauthenticate/": "only with two-factor on",
    "accounts/2fa/totp/deactivate/": "only with two-factor on",
    "accounts/2fa/recovery-codes/": "only with two-factor on",
    "accounts/2fa/recovery-codes/generate/": "only with two-factor on",
    "accounts/2fa/recovery-codes/download/": "only with two-factor on",
}


def route_of(url):
    return resolve(urlsplit(url).path).route


# Characters that break things: NUL, bidirectional controls, a byte-order
# mark, a zero-width joiner, CR/LF (header injection), an emoji (4 bytes).
SPECIAL = "\x00\u202e\u202d\u200f\u200e\u061c\u2066\u2069\ufeff\u200d\r\n\t\U0001f600"
ODD_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil.exe\u202c",
    "\u200f\u200e",
    "\ud800",
    "x\udfffy",
    "A" * 100_000,
    "\U0001f600" * 25_000,
    "1" * 24,
    "-" + "9" * 30,
    str(2**63),
    str(-(2**63) - 1),
    "1e309",
    "NaN",
    "-inf",
    "0x1F",
    "١٢٣",  # Arabic-Indic digits
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "10000-01-01",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00-23:59",
    "2026-03-29T02:30:00",
    "2026-03-29T02:30:00+25:00",
    "2026-10-25T02:30:00+01:00",
    "24:00",
    "24:30",
    "23:59:60",
    "-01:00",
    "Mars/Olympus_Mons",
    "Europe/Berlin\x00",
    "../../etc/passwd",
    "UTC+99",
    "localtime",
    "Factory",
    "x\r\nBcc: someone@example.org",
    "someone@example.org\r\nSubject: x",
    "{{ 7|add:7 }}{% debug %}",
    "%s%n%x",
    "'; DROP TABLE accounts_user; --",
]
hostile_text = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=30),
    st.lists(
        st.one_of(
            st.text(max_size=8),
            st.sampled_from(SPECIAL),
            st.characters(categories=["Cs"]),  # lone surrogates
        ),
        max_size=8,
    ).map("".join),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.dates().map(str),
    st.sampled_from(TIME_ZONES),
)


def form_fields(client, form, url_values):
    """{name: [values the page offers]} of the page's form posting to the
    form's address (inputs, selects, textareas and named buttons)."""
    if form.fields:
        return {name: [] for name in form.fields}
    page = form.page.format(**url_values)
    response = client.get(page)
    assert response.status_code == form.page_status, page
    target = urlsplit(form.target.format(**url_values)).path
    fields = {}
    for element in parse_html(response.content).find_all("form"):
        action = urlsplit(element.attrs.get("action") or page).path
        if element.attrs.get("method", "get").lower() != "post" or action != target:
            continue
        for field in element.iter():
            name = field.attrs.get("name")
            if field.tag not in {"input", "select", "textarea", "button"} or not name:
                continue
            if name == "csrfmiddlewaretoken" or field.attrs.get("type") == "file":
                continue
            fields.setdefault(name, []).extend(offered_values(field))
    assert fields or form.target != form.page or "helpful" in target, (
        f"no form on {page} posts to {target}"
    )
    return fields


def offered_values(field):
    if field.tag == "select":
        return [
            option.attrs.get("value", option.text)
            for option in field.find_all("option")
        ]
    if field.tag == "textarea":
        return [field.text]
    if field.attrs.get("type") in {"checkbox", "radio"}:
        return [field.attrs.get("value", "on")]
    return [field.attrs.get("value", "")]


def post_values(fields):
    """Strategy: for each name, no value, the page's own, or hostile ones."""
    return st.fixed_dictionaries(
        {
            name: st.one_of(
                st.just([]),
                st.sampled_from(offered).map(lambda value: [value])
                if offered
                else st.just([""]),
                st.lists(hostile_text, min_size=1, max_size=2),
            )
            for name, offered in fields.items()
        }
    )


def urlencoded(data):
    """The form body as a client would send it. Lone surrogates go as the
    invalid UTF-8 bytes a broken client sends; Django decodes them as U+FFFD."""

    def encode(text):
        return quote_plus(text.encode("utf-8", "surrogatepass"))

    return "&".join(
        f"{encode(name)}={encode(value)}"
        for name, values in data.items()
        for value in values
    ).encode("ascii")


@pytest.fixture
def world(db, settings, tmp_path):
    """One of each thing a form acts on, and who may use each form."""
    settings.MEDIA_ROOT = tmp_path
    settings.ADMIN_REQUIRES_TWO_FACTOR = False
    user = make_verified_user()
    specialist = make_bookable_specialist(user=make_verified_user())
    other = make_specialist(user=make_verified_user())
    drafter = make_specialist(user=make_verified_user(), status=Specialist.Status.DRAFT)
    pending = make_specialist(status=Specialist.Status.PENDING)
    conversation = make_conversation(user=user, specialist=specialist)
    reply = Message.objects.create(
        conversation=conversation, sender=specialist.user, body="A reply."
    )
    question = make_question(author=user)
    answer = make_answer(question, specialist=specialist)
    booking = make_booking(
        specialist, manage_token_hash=Booking.hash_token(MANAGE_TOKEN)
    )
    CalendarFeed.issue(specialist)
    make_article()
    return {
        "people": {
            "anonymous": None,
            "booker": None,
            "user": user,
            "recent": user,
            "unverified": make_user(),
            "specialist": specialist.user,
            "drafter": drafter.user,
            "staff": make_staff(is_superuser=True),
        },
        "urls": {
            "slug": specialist.slug,
            "other_slug": other.slug,
            "slot": quote_plus(booking_services.free_slots(specialist)[0].isoformat()),
            "token": MANAGE_TOKEN,
            "booking": booking.pk,
            "question": question.pk,
            "answer": answer.pk,
            "conversation": conversation.pk,
            "message": reply.pk,
            "specialist_pk": specialist.pk,
            "pending_pk": pending.pk,
        },
        "booking": booking,
    }


def sign_in(client, world, who):
    person = world["people"][who]
    if person is not None:
        client.force_login(person)
    if who == "booker":  # the browser that just booked
        session = client.session
        session[SESSION_KEY] = world["booking"].pk
        session.save()
    if who == "recent":  # allauth asks for the password again before 2FA
        response = client.post(
            "/accounts/reauthenticate/", {"password": "a-long-test-password"}
        )
        assert response.status_code == 302


def test_every_route_is_fuzzed_or_has_no_form():
    urls = {
        "slug": "s", "other_slug": "s", "slot": "x", "token": "t", "booking": 1,
        "question": 1, "answer": 1, "conversation": 1, "message": 1,
        "specialist_pk": 1, "pending_pk": 1,
    }  # fmt: skip
    fuzzed = {route_of(form.target.format(**urls)) for form in FORMS.values()}
    site_routes = {route for route in ROUTES if not route.startswith("admin/")}

    assert site_routes - fuzzed - set(NO_FORM) == set()
    assert fuzzed & set(NO_FORM) == set()
    assert set(NO_FORM) <= site_routes  # no stale entries


@pytest.mark.parametrize("name", FORMS)
def test_hostile_input_to_a_form_is_never_a_server_error(client, world, name):
    form = FORMS[name]
    sign_in(client, world, form.who)
    fields = form_fields(client, form, world["urls"])
    target = form.target.format(**world["urls"])

    @FUZZ
    @given(data=post_values(fields))
    def post(data):
        cache.clear()  # rate limits: each example reaches the form
        pagecache.clear()
        sign_in(client, world, form.who)
        response = client.post(
            target,
            urlencoded(data),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code < 500, (target, data)

    post()
