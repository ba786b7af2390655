"""Every account page is in the site's own layout, language and valid HTML."""

import html5lib
import pytest

from tests.factories import make_verified_user
from tests.html import parse_html

ANONYMOUS_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",
    "/account/logged-out/",
    "/account/deleted/",
    "/contact/",
]
LOGGED_IN_PAGES = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/reauthenticate/",
    "/account/name/",
    "/account/data/",
    "/account/delete/",
    "/contact/",
    "/privacy/",
]


def assert_valid_page_in_site_layout(content):
    # html5lib's strict mode raises on every parse error: misnested or stray
    # tags, such as a <ul> inside a <p>.
    html5lib.HTMLParser(strict=True).parse(content)
    page = parse_html(content)
    assert page.find("html").attrs["lang"] == "en"
    assert page.find("meta", name="description").attrs["content"]
    assert page.find("a", class_="quick-exit").text.startswith("Leave this site")
    assert page.find("header", class_="site-header")
    assert page.find("footer", class_="site-footer")
    assert len(page.find_all("h1")) == 1


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_anonymous_account_pages_use_the_site_layout(client, db, url):
    response = client.get(url)

    assert response.status_code == 200
    assert_valid_page_in_site_layout(response.content)


@pytest.mark.parametrize("url", LOGGED_IN_PAGES)
def test_logged_in_account_pages_use_the_site_layout(client, db, url):
    # A real log-in, then the password again: two-factor set-up asks for it.
    user = make_verified_user()
    password = "a-long-test-password"
    client.post("/accounts/login/", {"login": user.email, "password": password})
    if url != "/accounts/reauthenticate/":
        client.post("/accounts/reauthenticate/", {"password": password})

    response = client.get(url)

    assert response.status_code == 200
    assert_valid_page_in_site_layout(response.content)


def test_sign_up_form_errors_are_valid_html_too(client, db):
    response = client.post(
        "/accounts/signup/",
        {"email": "not-an-email", "password1": "123", "password2": "456"},
    )

    assert_valid_page_in_site_layout(response.content)
    assert "Enter a valid email address." in response.content.decode()
