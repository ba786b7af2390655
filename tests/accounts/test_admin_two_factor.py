"""The admin asks staff for two-factor authentication; MFA is open to everyone."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_staff, make_user, make_verified_user
from tests.html import parse_html

PASSWORD = "a-long-test-password"
TURN_ON_2FA = "Turn on two-factor authentication to use the admin site."


@pytest.fixture(autouse=True)
def empty_cache(db):
    """allauth's rate limits live in the default cache (its table in tests)."""
    call_command("createcachetable", stdout=io.StringIO())
    cache.clear()
    yield
    cache.clear()


def log_in_and_confirm_password(client, user):
    """A real login, then allauth's password confirmation, which it asks for
    before anyone turns two-factor authentication on."""
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def parse_csp(header):
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value.split()
    return directives


def test_staff_without_two_factor_is_sent_from_the_admin_to_turn_it_on(
    client, settings
):
    settings.ADMIN_REQUIRES_TWO_FACTOR = True
    client.force_login(make_staff())

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert TURN_ON_2FA in [str(m) for m in get_messages(response.wsgi_request)]


def test_staff_sent_to_turn_on_two_factor_sees_why_and_gets_the_qr_code(
    client, settings
):
    settings.ADMIN_REQUIRES_TWO_FACTOR = True
    log_in_and_confirm_password(client, make_staff())

    response = client.get("/admin/", follow=True)

    assert [url for url, _ in response.redirect_chain] == [reverse("mfa_activate_totp")]
    assert response.status_code == 200
    assert TURN_ON_2FA in response.content.decode()
    assert parse_html(response.content).find("img").attrs["src"].startswith("data:")


def test_staff_with_a_totp_authenticator_reaches_the_admin(client, settings):
    settings.ADMIN_REQUIRES_TWO_FACTOR = True
    staff = make_staff()
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert TURN_ON_2FA not in response.content.decode()


def test_admin_is_reachable_without_two_factor_when_not_required(client, settings):
    settings.ADMIN_REQUIRES_TWO_FACTOR = False
    client.force_login(make_staff())

    response = client.get("/admin/")

    assert response.status_code == 200


def test_logged_in_non_staff_user_is_refused_the_admin_not_sent_to_2fa(
    client, settings
):
    settings.ADMIN_REQUIRES_TWO_FACTOR = True
    client.force_login(make_user())

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert all(
        reverse("mfa_activate_totp") not in url for url, _ in response.redirect_chain
    )


def test_anonymous_visitor_is_sent_to_the_allauth_login_page(client, settings):
    settings.ADMIN_REQUIRES_TWO_FACTOR = True

    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    final = urlsplit(response.redirect_chain[-1][0])
    assert final.path == reverse("account_login") == "/accounts/login/"
    assert parse_qs(final.query)["next"] == ["/admin/"]


def test_totp_activation_page_alone_allows_data_images_for_the_qr_code(client):
    log_in_and_confirm_password(client, make_verified_user())

    activation = client.get(reverse("mfa_activate_totp"))
    home = client.get("/")

    assert activation.status_code == 200
    qr_code = parse_html(activation.content).find("img")
    assert qr_code.attrs["src"].startswith("data:")
    assert parse_csp(activation["Content-Security-Policy"])["img-src"] == [
        "'self'",
        "data:",
    ]
    assert parse_csp(home["Content-Security-Policy"])["img-src"] == ["'self'"]


@pytest.mark.parametrize("staff", [False, True], ids=["user", "staff"])
def test_every_user_can_reach_the_two_factor_page(client, staff):
    client.force_login(make_user(is_staff=staff))

    response = client.get("/accounts/2fa/")

    assert response.status_code == 200
    assert reverse("mfa_activate_totp") in response.content.decode()
