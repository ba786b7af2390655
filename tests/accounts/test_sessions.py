"""Sessions: a new key at login, gone at logout and after a password change
elsewhere, an idle and an absolute time limit, Clear-Site-Data on logging out,
messages kept on the server, and __Host- cookies under production settings."""

import base64
import binascii
import json
import subprocess
import sys
import zlib
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from bench.prodsite import PROJECT_ROOT, production_env
from tests.factories import make_verified_user

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "another-long-password-7"
EMAIL = "private.person@example.com"
PRIVATE_PAGE = "/account/data/"
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'

# allauth's emails go through the outbox, which tries to send once the request's
# changes are committed: these tests commit, as production does.
COMMITS = pytest.mark.django_db(transaction=True)


pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def user(db):
    return make_verified_user(email=EMAIL, password=PASSWORD)


def log_in(client, email=EMAIL, password=PASSWORD):
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()
    return response


def is_logged_in(client):
    response = client.get(PRIVATE_PAGE)
    return response.status_code == 200


def session_key(client, settings):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_login_gives_the_browser_a_new_session_key(client, user, settings):
    before = client.session  # an anonymous session, as a booking would make
    before["seen"] = True
    before.save()
    old_key = before.session_key

    log_in(client)

    assert session_key(client, settings) != old_key
    assert not Session.objects.filter(session_key=old_key).exists()


def test_logout_deletes_the_session_and_asks_the_browser_to_clear_the_site(
    client, user, settings
):
    log_in(client)
    key = session_key(client, settings)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/account/logged-out/"
    assert response["Clear-Site-Data"] == CLEAR_SITE_DATA
    assert not Session.objects.filter(session_key=key).exists()
    assert not is_logged_in(client)
    # The page says it: a message would go with the cookies the browser drops.
    page = client.get("/account/logged-out/")
    assert "You are logged out" in page.content.decode()
    assert not Session.objects.exists()  # no new session, for nothing


def test_pages_that_log_nobody_out_send_no_clear_site_data(client, user):
    login = log_in(client)
    page = client.get(PRIVATE_PAGE)

    assert "Clear-Site-Data" not in login
    assert "Clear-Site-Data" not in page


def test_deleting_the_account_also_clears_the_site(client, user):
    log_in(client)

    response = client.post("/account/delete/", {"password": PASSWORD})

    assert response["Location"] == "/account/deleted/"
    assert response["Clear-Site-Data"] == CLEAR_SITE_DATA
    page = client.get("/account/deleted/").content.decode()
    assert "Your account and your data have been deleted." in page


def test_password_change_ends_the_other_sessions_and_keeps_this_one(client, user):
    elsewhere = Client()
    log_in(elsewhere)
    log_in(client)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert is_logged_in(client)
    assert not is_logged_in(elsewhere)


@COMMITS
def test_password_reset_ends_every_session_of_the_user(client, user, mailoutbox):
    elsewhere = Client()
    log_in(elsewhere)
    client.post("/accounts/password/reset/", {"email": EMAIL})
    [link] = [w for w in mailoutbox[0].body.split() if "/password/reset/key/" in w]

    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert not is_logged_in(elsewhere)
    assert log_in(Client(), password=NEW_PASSWORD)


def test_session_ends_after_two_idle_hours(client, user, clock):
    log_in(client)

    clock.advance(hours=1, minutes=59)
    assert is_logged_in(client)
    clock.advance(hours=2, seconds=1)

    assert not is_logged_in(client)


def test_active_session_ends_twelve_hours_after_login(client, user, clock):
    log_in(client)

    for _ in range(11):
        clock.advance(hours=1)
        assert is_logged_in(client)  # each request keeps it from idling out
    clock.advance(minutes=59)
    assert is_logged_in(client)
    clock.advance(minutes=2)
    response = client.get("/")

    assert not is_logged_in(client)
    assert "For your safety you were logged out" in response.content.decode()
    # Not cleared: the browser would drop the message with the cookies.
    assert "Clear-Site-Data" not in response


def test_timeouts_are_the_documented_ones(settings):
    assert timedelta(hours=2).total_seconds() == settings.SESSION_COOKIE_AGE
    assert timedelta(hours=12).total_seconds() == settings.SESSION_ABSOLUTE_AGE


def readable_forms(value):
    """The cookie value as it is, and every part of it decoded as Django's
    signed cookies encode them (URL-safe base64, maybe zlib-compressed)."""
    yield value
    for part in value.replace('"', "").split(":"):
        compressed = part.startswith(".")
        part = part.lstrip(".")
        try:
            decoded = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            continue
        if compressed:
            try:
                decoded = zlib.decompress(decoded)
            except zlib.error:
                continue
        yield decoded.decode("utf-8", "replace")


def assert_no_cookie_names(response, *secrets):
    for morsel in response.cookies.values():
        for text in readable_forms(morsel.value):
            for secret in secrets:
                assert secret not in text, (morsel.key, text)


@COMMITS
def test_no_cookie_carries_the_email_after_login_email_change_or_logout(client, user):
    responses = [
        client.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD}),
        client.post(
            "/accounts/email/",
            {"email": "new.address@example.com", "action_add": ""},
        ),
        client.post("/accounts/logout/"),
    ]

    assert [r.status_code for r in responses] == [302, 302, 302]
    for response in responses:
        assert_no_cookie_names(response, EMAIL, "new.address", "private.person")
    assert "messages" not in client.cookies


def production_cookie_settings():
    """The cookie settings as config/settings.py gives them with DEBUG off."""
    names = [
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "SESSION_COOKIE_DOMAIN",
        "SESSION_COOKIE_PATH",
        "CSRF_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_SAMESITE",
        "CSRF_COOKIE_DOMAIN",
        "CSRF_COOKIE_PATH",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=production_env(PROJECT_ROOT / "no-such-directory"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_cookies_are_host_only_secure_and_same_site(client, settings, user):
    production = production_cookie_settings()
    for name, value in production.items():
        setattr(settings, name, value)

    client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/", {"login": EMAIL, "password": PASSWORD}, secure=True
    )

    cookies = SimpleCookie(
        "\n".join(m.output(header="") for m in response.cookies.values())
    )
    session = cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    assert session["path"] == "/" and not session["domain"]
    assert production["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert production["CSRF_COOKIE_DOMAIN"] is None
