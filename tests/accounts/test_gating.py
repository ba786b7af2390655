"""Every gated URL, as an anonymous visitor, an unverified user and a verified one."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from tests.factories import make_user, make_verified_user
from tests.html import parse_html

# (url, the prompt an anonymous visitor sees, a text only the real page shows)
GATED = [
    ("/contact/", "You need to be logged in to contact us", 'name="message"'),
]

# allauth's emails go through the outbox, which tries to send once the request's
# changes are committed: these tests commit, as production does.
COMMITS = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_cache(db):
    """Email limits per address live in the default cache (its table in tests),
    which a transactional test's flush leaves alone."""
    call_command("createcachetable", stdout=io.StringIO())
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("url,prompt,_", GATED)
def test_anonymous_visitor_sees_the_prompt_with_login_and_sign_up_links(
    client, db, url, prompt, _
):
    response = client.get(url)

    page = parse_html(response.content)
    main = page.find("main")
    assert main.find("h1").text == prompt
    links = {a.text: a.attrs["href"] for a in main.find_all("a")}
    for label, path in [
        ("Login", "/accounts/login/"),
        ("Sign up", "/accounts/signup/"),
    ]:
        target = urlsplit(links[label])
        assert target.path == path
        assert parse_qs(target.query)["next"] == [url]


@pytest.mark.parametrize("url,_,form_marker", GATED)
def test_anonymous_visitor_does_not_get_the_form(client, db, url, _, form_marker):
    assert form_marker.encode() not in client.get(url).content


@COMMITS
@pytest.mark.parametrize("url,_,form_marker", GATED)
def test_unverified_user_is_asked_to_verify_and_can_resend(
    client, db, mailoutbox, url, _, form_marker
):
    user = make_user()
    client.force_login(user)

    response = client.get(url)

    assert response.status_code == 403
    assert b"Please verify your email address" in response.content
    assert form_marker.encode() not in response.content
    resend = client.post("/account/verify/resend/", {"next": url})
    assert resend.status_code == 302
    assert resend["Location"] == url
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


@pytest.mark.parametrize("url,_,form_marker", GATED)
def test_verified_user_gets_the_form(client, db, url, _, form_marker):
    client.force_login(make_verified_user())

    response = client.get(url)

    assert response.status_code == 200
    assert form_marker.encode() in response.content


def test_resend_ignores_a_next_on_another_site(client, db):
    client.force_login(make_user())

    response = client.post("/account/verify/resend/", {"next": "https://evil.example/"})

    assert response["Location"] == "/accounts/email/"


def test_gated_links_carry_the_prompt_for_the_dialog_only_for_anonymous_visitors(
    client, db
):
    anonymous = parse_html(client.get("/").content)
    link = anonymous.find("a", href="/contact/")
    assert link.attrs["data-gate"] == "You need to be logged in to contact us"
    assert anonymous.find("dialog", class_="gate-dialog")

    client.force_login(make_verified_user())
    logged_in = parse_html(client.get("/").content)
    assert "data-gate" not in logged_in.find("a", href="/contact/").attrs
    assert not logged_in.find_all("dialog")


def test_every_prompt_is_word_for_word():
    from accounts.gating import PROMPTS

    assert {key: str(text) for key, text in PROMPTS.items()} == {
        "message": "You need to be logged in to send messages",
        "contact": "You need to be logged in to contact us",
        "question": "To create a new Question, please log in or create an account",
        "specialist_profile": (
            "To create your specialist profile, please log in to your account."
        ),
    }


def confirmation_path(email):
    [link] = [
        urlsplit(word)
        for word in email.body.split()
        if "/accounts/confirm-email/" in word
    ]
    return f"{link.path}?{link.query}"


def sign_up_from_the_prompt(client, url):
    return client.post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.com",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
            "next": url,
        },
    )


@COMMITS
@pytest.mark.parametrize("url,prompt,form_marker", GATED)
def test_sign_up_from_the_prompt_leads_back_to_the_action_once_verified(
    client, mailoutbox, url, prompt, form_marker
):
    response = sign_up_from_the_prompt(client, url)

    # Mandatory verification: nobody is logged in before it, so the action
    # still shows its prompt until the emailed link is followed.
    assert response["Location"] == "/accounts/confirm-email/"
    assert prompt in client.get(url).content.decode()
    confirmed = client.post(confirmation_path(mailoutbox[0]))
    assert confirmed["Location"] == url
    assert form_marker.encode() in client.get(url).content


@COMMITS
@pytest.mark.parametrize("url,prompt,form_marker", GATED)
def test_link_opened_in_another_browser_verifies_then_login_leads_back(
    client, mailoutbox, url, prompt, form_marker
):
    sign_up_from_the_prompt(client, url)
    other_browser = Client()

    confirmed = other_browser.post(confirmation_path(mailoutbox[0]))

    # Verified, but this browser never signed up: it logs in, then returns.
    assert confirmed["Location"] == url
    assert prompt in other_browser.get(url).content.decode()
    logged_in = other_browser.post(
        "/accounts/login/",
        {
            "login": "newcomer@example.com",
            "password": "a-long-test-password",
            "next": url,
        },
    )
    assert logged_in["Location"] == url
    assert form_marker.encode() in other_browser.get(url).content
