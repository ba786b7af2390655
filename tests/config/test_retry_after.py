"""Every 429 says when to try again: Retry-After, in seconds.

The site's own limits set it where they refuse (see the tests of booking,
rescheduling, messages, questions, contact and the calendar feed). allauth's
429 (sign-up, password reset, ...) has none of its own: the middleware adds
it, exact where allauth's counters say when the next attempt gets through.
"""

import time

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from config.middleware import retry_after_on_429

SIGNUP = "/accounts/signup/"
RESET = "/accounts/password/reset/"


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def sign_up(client, n):
    password = "a-long-test-password"
    data = {
        "email": f"new{n}@example.com",
        "password1": password,
        "password2": password,
    }
    return client.post(SIGNUP, data)


def test_allauth_sign_up_refusal_says_when_the_window_frees(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    sign_up(client, 1)
    time.sleep(1.1)
    client.logout()
    sign_up(client, 2)
    client.logout()

    refused = sign_up(client, 3)

    assert refused.status_code == 429
    # The first attempt leaves the one-minute window first, a second ago.
    assert 57 <= int(refused["Retry-After"]) <= 59


def test_allauth_password_reset_refusal_per_address_says_when(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "20/m/ip,1/5m/key"}
    client.post(RESET, {"email": "reader@example.com"})

    refused = client.post(RESET, {"email": "Reader@example.com"})

    assert refused.status_code == 429
    assert 298 <= int(refused["Retry-After"]) <= 300


def test_allauth_password_reset_refusal_per_ip_says_when(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "1/m/ip,5/10m/key"}
    client.post(RESET, {"email": "one@example.com"})

    refused = client.post(RESET, {"email": "two@example.com"})

    assert refused.status_code == 429
    assert 58 <= int(refused["Retry-After"]) <= 60


def test_a_429_from_anywhere_else_gets_the_longest_window_that_could_apply(
    settings, rf: RequestFactory
):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "20/m/ip", "login_failed": "5/5m/key"}
    middleware = retry_after_on_429(lambda request: HttpResponse(status=429))

    response = middleware(rf.get("/somewhere/"))

    assert response["Retry-After"] == "300"


def test_a_429_with_its_own_retry_after_keeps_it(rf):
    def view(request):
        response = HttpResponse(status=429)
        response["Retry-After"] = "7"
        return response

    assert retry_after_on_429(view)(rf.get("/"))["Retry-After"] == "7"


def test_other_responses_get_no_retry_after(rf):
    response = retry_after_on_429(lambda request: HttpResponse())(rf.get("/"))

    assert not response.has_header("Retry-After")
