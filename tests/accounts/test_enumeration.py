"""Sign-up, login and password reset answer the same whether or not an address
has an account (allauth's enumeration prevention, which needs mandatory email
verification), and the emails they send are limited per address, silently.
"""

import pytest

from accounts.models import User
from tests.factories import make_user, make_verified_user
from tests.html import parse_html

PASSWORD = "a-long-test-password"
TAKEN = "taken@example.com"
FREE = "free@example.com"

# allauth's emails go through the outbox, which tries to send once the request's
# changes are committed: these tests commit, as production does.
COMMITS = pytest.mark.django_db(transaction=True)


pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def no_cooldown(settings):
    """Without allauth's one-verification-email-every-three-minutes, so that
    the hourly limit per address is what a test meets."""
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "confirm_email": "30/h/ip",
    }


def main_text(response):
    return " ".join(parse_html(response.content).find("main").text.split())


def page_text(response):
    """The whole page's text: a message shown above <main> tells too."""
    return " ".join(parse_html(response.content).find("body").text.split())


def sign_up(client, email):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def answer(client, response):
    """What a person sees: the status, where it leads and that page's text."""
    location = response.get("Location")
    page = client.get(location) if location else response
    return response.status_code, location, page_text(page)


@COMMITS
def test_sign_up_with_a_taken_address_answers_like_a_new_one(client, mailoutbox):
    make_verified_user(email=TAKEN)

    taken = answer(client, sign_up(client, TAKEN))
    free = answer(client, sign_up(client, FREE))

    assert taken == free
    assert taken[:2] == (302, "/accounts/confirm-email/")
    assert "already registered" not in taken[2]
    assert User.objects.filter(email=TAKEN).count() == 1
    assert "_auth_user_id" not in client.session


@COMMITS
def test_taken_address_gets_an_account_already_exists_email(client, mailoutbox):
    make_verified_user(email=TAKEN)

    sign_up(client, TAKEN)

    [email] = mailoutbox
    assert email.to == [TAKEN]
    assert email.subject == "You already have an account"
    assert TAKEN not in email.subject
    assert "/accounts/password/reset/" in email.body
    assert "/accounts/confirm-email/" not in email.body


def test_failed_login_reads_the_same_for_an_account_and_for_no_account(client):
    make_verified_user(email=TAKEN)

    wrong_password = client.post(
        "/accounts/login/", {"login": TAKEN, "password": "not-the-password"}
    )
    no_account = client.post(
        "/accounts/login/", {"login": FREE, "password": "not-the-password"}
    )

    assert wrong_password.status_code == no_account.status_code == 200
    assert main_text(wrong_password) == main_text(no_account)


@COMMITS
def test_login_before_verifying_sends_the_link_again_and_logs_nobody_in(
    client, mailoutbox
):
    make_user(email="unverified@example.com")

    response = client.post(
        "/accounts/login/", {"login": "unverified@example.com", "password": PASSWORD}
    )

    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    [email] = mailoutbox
    assert "/accounts/confirm-email/" in email.body


@COMMITS
def test_password_reset_reads_the_same_for_an_account_and_for_no_account(
    client, mailoutbox
):
    make_verified_user(email=TAKEN)

    taken = answer(client, client.post("/accounts/password/reset/", {"email": TAKEN}))
    free = answer(client, client.post("/accounts/password/reset/", {"email": FREE}))

    assert taken == free
    assert taken[:2] == (302, "/accounts/password/reset/done/")
    reset, unknown = mailoutbox
    assert reset.to == [TAKEN] and "/accounts/password/reset/key/" in reset.body
    assert unknown.to == [FREE] and "/accounts/signup/" in unknown.body
    assert unknown.subject == "Your password reset request"


@COMMITS
@pytest.mark.parametrize("address", [TAKEN, FREE])
def test_fourth_password_reset_in_an_hour_sends_nothing_and_reads_the_same(
    client, mailoutbox, address
):
    make_verified_user(email=TAKEN)

    answers = [
        answer(client, client.post("/accounts/password/reset/", {"email": address}))
        for _ in range(4)
    ]

    assert len(set(answers)) == 1
    assert answers[0][:2] == (302, "/accounts/password/reset/done/")
    assert [m.to for m in mailoutbox] == [[address]] * 3


@COMMITS
def test_reset_limit_counts_per_address_so_others_still_get_theirs(client, mailoutbox):
    for _ in range(3):
        client.post("/accounts/password/reset/", {"email": FREE})

    client.post("/accounts/password/reset/", {"email": "other@example.com"})

    assert mailoutbox[-1].to == ["other@example.com"]
    assert len(mailoutbox) == 4


def test_sixth_password_reset_in_a_minute_from_one_ip_is_refused(client):
    for n in range(5):
        response = client.post("/accounts/password/reset/", {"email": f"a{n}@x.org"})
        assert response.status_code == 302

    refused = client.post("/accounts/password/reset/", {"email": TAKEN})
    elsewhere = client.post(
        "/accounts/password/reset/", {"email": TAKEN}, REMOTE_ADDR="203.0.113.7"
    )

    assert refused.status_code == 429
    assert elsewhere.status_code == 302


@COMMITS
def test_fourth_sign_up_with_a_taken_address_in_an_hour_sends_nothing(
    client, mailoutbox, no_cooldown
):
    make_verified_user(email=TAKEN)

    answers = {answer(client, sign_up(client, TAKEN)) for _ in range(4)}

    assert len(answers) == 1
    assert [m.subject for m in mailoutbox] == ["You already have an account"] * 3


@COMMITS
def test_fourth_resent_verification_in_an_hour_sends_nothing(
    client, mailoutbox, no_cooldown
):
    client.force_login(make_user(email="unverified@example.com"))

    responses = [
        client.post("/account/verify/resend/", {"next": "/contact/"}) for _ in range(4)
    ]

    assert {r["Location"] for r in responses} == {"/contact/"}
    assert [m.to for m in mailoutbox] == [["unverified@example.com"]] * 3


@COMMITS
def test_sign_up_reads_the_same_when_no_email_goes_out(client):
    """A second sign-up within allauth's few minutes between verification
    emails sends none; nothing on the page says so."""
    first = answer(client, sign_up(client, FREE))
    client.cookies.clear()

    held_back = answer(client, sign_up(client, FREE))

    assert held_back == first
