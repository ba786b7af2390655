"""`next` only ever leads to a page of this site, and verification links
fail clearly once used."""

from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.models import User
from tests.factories import make_verified_user
from tests.html import parse_html

PASSWORD = "a-long-test-password"
OFF_SITE = [
    "https://evil.example/",
    "//evil.example",
    "///evil.example/",
    "/\\evil.example",
    "https:evil.example",
]
EXPIRED = "This email confirmation link expired or is invalid."

# allauth's emails go through the outbox, which tries to send once the request's
# changes are committed: these tests commit, as production does.
COMMITS = pytest.mark.django_db(transaction=True)


pytestmark = pytest.mark.usefixtures("empty_cache")


def sign_up(client, email="newcomer@example.com", **extra):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, **extra},
    )


def verification_link(email):
    """Path and query of the one confirmation link in the email."""
    [link] = [
        urlsplit(word)
        for word in email.body.split()
        if "/accounts/confirm-email/" in word
    ]
    return link


def relative(link):
    return f"{link.path}?{link.query}" if link.query else link.path


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_login_ignores_an_off_site_next_in_the_address(client, next_url):
    make_verified_user(email="reader@example.com", password=PASSWORD)
    login_url = "/accounts/login/?" + f"next={next_url}"

    page = client.get(login_url)
    # allauth echoes `next` into the form as it came; it checks it on use.
    response = client.post(
        login_url, {"login": "reader@example.com", "password": PASSWORD}
    )

    assert page.status_code == 200
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert response["Location"] == "/"


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_login_ignores_an_off_site_next_in_the_form(client, next_url):
    make_verified_user(email="reader@example.com", password=PASSWORD)

    response = client.post(
        "/accounts/login/",
        {"login": "reader@example.com", "password": PASSWORD, "next": next_url},
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_follows_a_next_on_this_site(client):
    make_verified_user(email="reader@example.com", password=PASSWORD)

    response = client.post(
        "/accounts/login/",
        {"login": "reader@example.com", "password": PASSWORD, "next": "/contact/"},
    )

    assert response["Location"] == "/contact/"


@COMMITS
@pytest.mark.parametrize("next_url", OFF_SITE)
def test_sign_up_ignores_an_off_site_next_and_keeps_it_out_of_the_link(
    client, mailoutbox, next_url
):
    response = sign_up(client, next=next_url)

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    [email] = mailoutbox
    assert "evil.example" not in email.body
    assert "next" not in parse_qs(verification_link(email).query)


@COMMITS
def test_verification_link_brings_the_person_back_to_the_safe_next(client, mailoutbox):
    sign_up(client, next="/contact/")
    link = verification_link(mailoutbox[0])

    response = client.post(relative(link))

    assert parse_qs(link.query)["next"] == ["/contact/"]
    assert response.status_code == 302
    assert response["Location"] == "/contact/"
    assert User.objects.get().emailaddress_set.get().verified


@COMMITS
@pytest.mark.parametrize("next_url", OFF_SITE)
def test_verification_link_ignores_an_off_site_next_added_to_it(
    client, mailoutbox, next_url
):
    sign_up(client)
    link = verification_link(mailoutbox[0])

    response = client.post(link.path, {"next": next_url})

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert User.objects.get().emailaddress_set.get().verified


@COMMITS
def test_used_verification_link_says_it_expired_or_is_invalid(client, mailoutbox):
    sign_up(client, next="/contact/")
    link = verification_link(mailoutbox[0])
    client.post(relative(link))

    again = client.get(relative(link))
    posted_again = client.post(relative(link))

    assert again.status_code == 200
    assert EXPIRED in parse_html(again.content).find("main").text
    assert posted_again.status_code == 404
