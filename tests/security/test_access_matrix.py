"""Who gets what, for every route of the URLconf.

Every route has an entry in EXPECTED, keyed by its URL name (or its pattern
when unnamed): a new route without one fails
`test_every_route_has_an_entry_in_the_access_matrix`. A route that carries an
object (id, slug, token) or shows personal data is requested as an anonymous
visitor, another user, another specialist, its owners (the person, the
specialist, or both) and staff with two-factor authentication. Non-owners get
404, a refusal that reads the same whether or not the object exists; pages
behind a login send anonymous visitors to log in (LOGIN) or show the site's
"log in or sign up" prompt (GATE), which names nothing. The owner's marker (a
text only their page holds) shows for the owners alone.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from tests.factories import make_verified_user
from tests.security.routes import admin_urls, all_routes, build_world, route_key

ROLES = ("anonymous", "other_user", "other_specialist", "person", "specialist", "staff")
LOGIN = "login"  # 302 to the login page, with ?next=
GATE = "gate"  # 200: the prompt to log in or sign up, nothing else
GATE_TEXT = "/accounts/signup/?next="


@dataclass(frozen=True)
class Expect:
    url: Callable
    statuses: dict
    method: str = "get"
    marker: Callable | None = None  # text only the owners' answer may hold
    owners: tuple = ()


@dataclass(frozen=True)
class Public:
    """No object in the address and nothing personal on the page."""

    reason: str


@dataclass(frozen=True)
class AdminRoute:
    """Every admin route: checked together by test_admin_routes_are_staff_only."""

    reason: str = "the admin site"


def owned(url, *, owners, anonymous=GATE, ok=200, others=404, **options):
    """Only `owners` reach the object; for everyone else it does not exist."""
    statuses = {role: ok if role in owners else others for role in ROLES}
    return Expect(url, {**statuses, "anonymous": anonymous}, owners=owners, **options)


def mine(url, *, owners=("person",), anonymous=LOGIN, others=200, **options):
    """A page about the requester's own account: everyone logged in gets
    their own (`others`), and only the owners' shows the owner's marker."""
    return owned(url, owners=owners, anonymous=anonymous, others=others, **options)


def nobody(url, *, except_=(), anonymous=404, **options):
    """An object not public: 404 for all but `except_` (who get 200)."""
    statuses = {role: 200 if role in except_ else 404 for role in ROLES}
    return Expect(url, {**statuses, "anonymous": anonymous}, **options)


def token(url, *, method="get", ok=200):
    """A private link: whoever holds the token gets in, whoever is logged
    in; any other token is 404 (checked in test_a_wrong_token_is_404)."""
    return Expect(url, dict.fromkeys(ROLES, ok), method=method)


def specialist_page(url, *, anonymous=GATE, strangers=404, **options):
    """A specialist's own page (me/...): other specialists get their own,
    users without a profile `strangers` (404, or sent to create one)."""
    entry = mine(url, owners=("specialist",), anonymous=anonymous, **options)
    statuses = {**entry.statuses}
    for role in ("other_user", "person", "staff"):
        statuses[role] = strangers
    return Expect(entry.url, statuses, entry.method, entry.marker, entry.owners)


EXPECTED = {
    # Pages about nothing and no one.
    "pages:home": Public("home page"),
    "pages:for_specialists": Public("information page"),
    "pages:privacy": Public("information page"),
    "accounts:logged_out": Public("says the person logged out, and nothing else"),
    "accounts:deleted": Public("says an account was deleted, and nothing else"),
    "helplines:help_now": Public("public helplines"),
    "articles:list": Public("published articles only"),
    "articles:feed": Public("published articles only"),
    "specialists:list": Public("approved profiles only"),
    "questions:list": Public("questions staff have not hidden"),
    "questions:ask": Public("an empty form"),
    "contact:form": Public("an empty form"),
    "specialists:new": Public("an empty form, or a redirect to one's own profile"),
    "consultations:free": Public("the list of bookable specialists"),
    "sitemap": Public("public pages only"),
    "robots_txt": Public("public file"),
    "healthz": Public("says whether the database and the cache answer"),
    "^media/(?P<path>.*)$": Public("uploaded illustrations of public articles"),
    "markdownx_markdownify": Public(
        "renders what is posted; who may use it: test_staff_two_factor"
    ),
    "markdownx_upload": Public("staff only: test_staff_two_factor"),
    # allauth's pages about the requester's own login; the two with a key in
    # the address are in test_a_wrong_allauth_key_shows_nobody_s_data.
    "account_login": Public("allauth"),
    "account_logout": Public("allauth"),
    "account_inactive": Public("allauth"),
    "account_signup": Public("allauth"),
    "account_reauthenticate": Public("allauth: the requester's own password"),
    "account_email_verification_sent": Public("allauth"),
    "account_change_password": Public("allauth: the requester's own password"),
    "account_set_password": Public("allauth: the requester's own password"),
    "account_reset_password": Public("allauth: an empty form"),
    "account_confirm_login_code": Public("allauth"),
    "account_reset_password_done": Public("allauth"),
    "account_reset_password_from_key_done": Public("allauth"),
    "account_confirm_email": Public("allauth: key checked below"),
    "account_reset_password_from_key": Public("allauth: key checked below"),
    "mfa_index": Public("allauth: the requester's own authenticators"),
    "mfa_authenticate": Public("allauth"),
    "mfa_reauthenticate": Public("allauth"),
    "mfa_activate_totp": Public("allauth: a new secret for the requester"),
    "mfa_deactivate_totp": Public("allauth: the requester's own authenticator"),
    "mfa_view_recovery_codes": Public("allauth: the requester's own codes"),
    "mfa_generate_recovery_codes": Public("allauth: the requester's own codes"),
    "mfa_download_recovery_codes": Public("allauth: the requester's own codes"),
    "account_email": mine(
        "/accounts/email/", marker=lambda w: w.person.email, anonymous=LOGIN
    ),
    # The account's own pages.
    "accounts:data": mine("/account/data/", marker=lambda w: w.person.email),
    "accounts:export": mine("/account/data/download/", marker=lambda w: w.person.email),
    "accounts:name": mine("/account/name/", marker=lambda w: w.person.name),
    "accounts:delete": mine("/account/delete/"),
    "accounts:resend_verification": mine(
        "/account/verify/resend/", method="post", ok=302, others=302
    ),
    # Messages: the two people in a conversation, nobody else, staff neither.
    # What the specialist calls the person shows in the specialist's inbox only.
    "messaging:inbox": mine(
        "/messages/",
        owners=("specialist",),
        anonymous=GATE,
        marker=lambda w: w.conversation.pseudonym,
    ),
    "messaging:conversation": owned(
        lambda w: f"/messages/{w.conversation.pk}/",
        owners=("person", "specialist"),
        marker=lambda w: w.reply.body,
    ),
    "messaging:block": owned(
        lambda w: f"/messages/{w.conversation.pk}/block/",
        owners=("person", "specialist"),
        method="post",
        ok=302,
    ),
    "messaging:report": owned(
        lambda w: f"/messages/message/{w.reply.pk}/report/",
        owners=("person", "specialist"),
        method="post",
        ok=302,
    ),
    "messaging:start": nobody(
        lambda w: f"/specialists/{w.pending.slug}/message/", anonymous=GATE
    ),
    # Specialist profiles: one not yet approved exists for its owner and staff.
    "specialists:detail": nobody(
        lambda w: f"/specialists/{w.pending.slug}/",
        except_=("staff",),
    ),
    "articles:detail": nobody(
        lambda w: f"/articles/{w.draft.slug}/", except_=("staff",)
    ),
    "consultations:book": nobody(lambda w: f"/specialists/{w.pending.slug}/book/"),
    "specialists:dashboard": specialist_page(
        "/specialists/me/",
        anonymous=LOGIN,
        strangers=302,
        marker=lambda w: w.specialist.slug,
    ),
    "specialists:edit": specialist_page(
        "/specialists/me/edit/", marker=lambda w: w.specialist.registration_number
    ),
    "specialists:submit": specialist_page(
        "/specialists/me/submit/", anonymous=LOGIN, method="post", ok=302, others=302
    ),
    "specialists:notifications": specialist_page("/specialists/me/notifications/"),
    "consultations:availability": specialist_page("/specialists/me/availability/"),
    "consultations:specialist_consultations": specialist_page(
        "/specialists/me/consultations/", marker=lambda w: w.booking.name
    ),
    "consultations:update": owned(
        lambda w: f"/specialists/me/consultations/{w.booking.pk}/",
        owners=("specialist",),
        method="post",
        ok=302,
    ),
    "consultations:calendar": specialist_page("/specialists/me/calendar/"),
    "consultations:calendar_new": specialist_page(
        "/specialists/me/calendar/new/", method="post"
    ),
    "consultations:calendar_off": specialist_page(
        "/specialists/me/calendar/off/", method="post", ok=302, others=302
    ),
    "consultations:calendar_names": specialist_page(
        # Another specialist has no feed to rename.
        "/specialists/me/calendar/names/",
        method="post",
        ok=302,
        others=404,
    ),
    # The visitor's booking: the private link is the key, for whoever holds it.
    "consultations:booked": nobody("/consultations/booked/"),
    "consultations:booked_ics": nobody("/consultations/booked/appointment.ics"),
    "consultations:manage": token(lambda t: f"/consultations/manage/{t}/"),
    "consultations:manage_ics": token(
        lambda t: f"/consultations/manage/{t}/appointment.ics"
    ),
    # Cancelling is a POST; a GET goes back to the booking's page.
    "consultations:manage_cancel": token(
        lambda t: f"/consultations/manage/{t}/cancel/", ok=302
    ),
    "consultations:manage_reschedule": token(
        lambda t: f"/consultations/manage/{t}/reschedule/"
    ),
    "consultations:calendar_feed": token(
        lambda t: f"/consultations/calendar-feed/{t}.ics"
    ),
    # Questions: a hidden question or answer does not exist, for anyone.
    "questions:detail": nobody(lambda w: f"/questions/{w.hidden_question.pk}/"),
    "questions:answer": nobody(
        lambda w: f"/questions/{w.hidden_question.pk}/answer/", method="post"
    ),
    "questions:report_question": nobody(
        lambda w: f"/questions/{w.hidden_question.pk}/report/"
    ),
    "questions:helpful": nobody(
        lambda w: f"/questions/answers/{w.hidden_answer.pk}/helpful/", method="post"
    ),
    "questions:report_answer": nobody(
        lambda w: f"/questions/answers/{w.hidden_answer.pk}/report/"
    ),
    # A public answer: the one who asked accepts it; the answer is no secret,
    # so others are told they may not (403) rather than "not found".
    "questions:accept": owned(
        lambda w: f"/questions/answers/{w.answer.pk}/accept/",
        owners=("person",),
        method="post",
        anonymous=LOGIN,
        ok=302,
        others=403,
    ),
    "admin:*": AdminRoute(),
}

TOKEN_ROUTES = {
    "consultations:manage",
    "consultations:manage_ics",
    "consultations:manage_cancel",
    "consultations:manage_reschedule",
    "consultations:calendar_feed",
}


def test_every_route_has_an_entry_in_the_access_matrix():
    keys = {route_key(route) for route in all_routes()}

    missing = sorted(keys - EXPECTED.keys())
    gone = sorted(EXPECTED.keys() - keys)
    assert missing == [], "routes without an entry in EXPECTED"
    assert gone == [], "entries in EXPECTED for routes that no longer exist"


@pytest.fixture
def world(db, settings):
    settings.ADMIN_REQUIRES_TWO_FACTOR = True
    return build_world()


def request(client, method, url):
    return getattr(client, method)(url)


def assert_status(response, expected, role, url):
    if expected == LOGIN:
        assert response.status_code == 302, (role, url)
        assert response["Location"].startswith("/accounts/login/?next="), (role, url)
    elif expected == GATE:
        assert response.status_code == 200, (role, url)
        assert GATE_TEXT in response.content.decode(), (role, url)
    else:
        assert response.status_code == expected, (role, url, response.status_code)


CHECKED = [key for key, entry in EXPECTED.items() if isinstance(entry, Expect)]


@pytest.mark.parametrize("key", CHECKED)
def test_access_matrix(world, key):
    entry = EXPECTED[key]
    url = (
        entry.url(world.booking_token if "manage" in key else world.feed_token)
        if key in TOKEN_ROUTES
        else entry.url(world)
        if callable(entry.url)
        else entry.url
    )
    marker = entry.marker(world) if entry.marker else None
    for role in ROLES:
        response = request(world.client(role), entry.method, url)
        assert_status(response, entry.statuses[role], role, url)
        if marker is None:
            continue
        body = response.content.decode()
        if role in entry.owners:
            assert marker in body, (role, url)
        else:
            assert marker not in body, (role, url)


@pytest.mark.parametrize("key", sorted(TOKEN_ROUTES))
def test_a_wrong_token_is_404_for_everyone(world, key):
    # The shape of a real token, so only its value is wrong.
    url = EXPECTED[key].url("x" * 43)
    for role in ROLES:
        response = world.client(role).get(url, follow=True)

        assert response.status_code == 404, (role, url)
        assert world.booking.name not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/confirm-email/wrong-key/",
        "/accounts/password/reset/key/1-wrong-key/",
        "/accounts/password/reset/key/zz-set-password/",
    ],
)
def test_a_wrong_allauth_key_shows_nobody_s_data(world, url):
    for role in ROLES:
        response = world.client(role).get(url, follow=True)

        assert response.status_code in (200, 404), (role, url)
        assert world.person.email not in response.content.decode(), (role, url)


def test_admin_urls_cover_every_admin_route_with_a_plain_address():
    urls = admin_urls()

    assert len(urls) > 100
    assert not [url for url in urls if re.search(r"[()^$<>\\]", url)]


def test_admin_routes_are_staff_only_and_need_two_factor(world):
    """Anyone else is sent to the login (which refuses a logged-in non-staff
    user: test_admin_two_factor), staff without two-factor to turn it on."""
    staff_without_2fa = Client()
    staff_without_2fa.force_login(make_verified_user(is_staff=True))
    clients = {
        "anonymous": world.client("anonymous"),
        "other_user": world.client("other_user"),
        "staff without 2FA": staff_without_2fa,
    }
    logins = ("/admin/login/", "/accounts/login/")
    for url in admin_urls():
        for role, client in clients.items():
            response = client.get(url)

            if role == "staff without 2FA":
                assert response.status_code == 302, (role, url)
                assert response["Location"] == "/accounts/2fa/totp/activate/"
            elif response.status_code != 403:
                assert response.status_code == 302, (role, url)
                location = response["Location"]
                # "/admin/": the logout, back to the index (checked here too).
                assert location == "/admin/" or location.startswith(logins), (
                    role,
                    url,
                    location,
                )
