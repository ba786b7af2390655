"""allauth's rate limits on logging in and signing up, and sign-up validation.

allauth keeps its counters in Django's default cache, which must be shared by
every worker (the database cache, or Redis) for a limit to mean anything.
"""

import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from tests.factories import make_verified_user
from tests.html import parse_html

PASSWORD = "a-long-test-password"
LOGIN = "/accounts/login/"
SIGNUP = "/accounts/signup/"
WRONG_CREDENTIALS = "The email address and/or password you specified are not correct."
TOO_MANY_LOGINS = "Too many failed login attempts. Try again later."


@pytest.fixture(autouse=True)
def empty_cache(db):
    """Rate-limit counters from one test must not count in the next."""
    call_command("createcachetable", stdout=io.StringIO())
    cache.clear()
    yield
    cache.clear()


def error_summary(response):
    return parse_html(response.content).find("main").text


def log_in(client, email, password, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_sixth_login_is_refused_after_five_failures_even_with_the_right_password(
    client,
):
    User.objects.create_user(email="reader@example.com", password=PASSWORD)

    for _ in range(5):
        response = log_in(client, "reader@example.com", "not-the-password")
        assert response.status_code == 200
        assert WRONG_CREDENTIALS in error_summary(response)
        assert TOO_MANY_LOGINS not in error_summary(response)
    response = log_in(client, "reader@example.com", PASSWORD)

    assert response.status_code == 200
    assert TOO_MANY_LOGINS in error_summary(response)
    assert not is_logged_in(client)


def test_login_limit_counts_per_address_so_other_accounts_still_log_in(client):
    make_verified_user(email="target@example.com", password=PASSWORD)
    make_verified_user(email="other@example.com", password=PASSWORD)
    for _ in range(5):
        log_in(client, "target@example.com", "not-the-password")

    response = log_in(client, "other@example.com", PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_login_counter_is_kept_in_the_cache_shared_by_every_worker(client):
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }
    User.objects.create_user(email="reader@example.com", password=PASSWORD)

    log_in(client, "reader@example.com", "not-the-password")

    if backend.endswith("DatabaseCache"):
        table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT cache_key FROM {table}")  # noqa: S608
            keys = [row[0] for row in cursor.fetchall()]
        assert any("allauth:rl:allauth.account:login_failed" in key for key in keys)


def test_twenty_first_sign_up_in_a_minute_from_one_address_is_refused(client):
    for n in range(20):
        response = client.post(SIGNUP, {"email": f"not-an-email-{n}"})
        assert response.status_code == 200

    refused = client.post(
        SIGNUP,
        {"email": "late@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    elsewhere = client.post(
        SIGNUP,
        {
            "email": "elsewhere@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        REMOTE_ADDR="203.0.113.7",
    )

    assert refused.status_code == 429
    assert "You have tried this too many times" in refused.content.decode()
    assert not User.objects.filter(email="late@example.com").exists()
    assert elsewhere.status_code == 302
    assert User.objects.filter(email="elsewhere@example.com").exists()


def test_sign_up_with_an_invalid_email_shows_the_error_and_creates_no_user(client):
    response = client.post(
        SIGNUP,
        {"email": "not-an-email", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert "Enter a valid email address." in error_summary(response)
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    "password,messages",
    [
        ("password", ["This password is too common."]),
        (
            "12345678",
            ["This password is too common.", "This password is entirely numeric."],
        ),
        (
            "short",
            ["This password is too short. It must contain at least 8 characters."],
        ),
    ],
)
def test_sign_up_with_a_weak_password_shows_the_validator_message(
    client, password, messages
):
    response = client.post(
        SIGNUP,
        {"email": "reader@example.com", "password1": password, "password2": password},
    )

    assert response.status_code == 200
    for message in messages:
        assert message in error_summary(response)
    assert User.objects.count() == 0
