"""Emails leave through Django's SMTP backend and reach a real SMTP server.

The server is aiosmtpd on 127.0.0.1, in a thread, for the length of one test.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller

from accounts.models import User
from contact.models import ContactMessage
from outbox.models import OutboxMessage
from tests.factories import make_verified_user
from tests.smtp import Inbox, free_port, use_smtp

PASSWORD = "a-long-test-password"

# allauth's emails go through the outbox, which tries to send once the request's
# changes are committed: these tests commit, as production does.
COMMITS = pytest.mark.django_db(transaction=True)


pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_inbox(smtp_server, settings):
    controller, inbox = smtp_server
    use_smtp(settings, controller.port)
    return inbox


def plain_body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


@COMMITS
def test_sign_up_sends_a_discreet_verification_email_through_smtp(client, smtp_inbox):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "/contact/",
        },
    )

    assert response.status_code == 302
    assert User.objects.filter(email="newcomer@example.com").exists()
    [(recipients, message)] = smtp_inbox.messages
    assert recipients == ["newcomer@example.com"]
    assert message["To"] == "newcomer@example.com"
    assert "harass" not in message["Subject"].lower()
    links = [
        urlsplit(word)
        for word in plain_body(message).split()
        if "/accounts/confirm-email/" in word
    ]
    assert len(links) == 1
    assert links[0].path.startswith("/accounts/confirm-email/")
    assert parse_qs(links[0].query)["next"] == ["/contact/"]
    assert OutboxMessage.objects.get().sent_at is not None


def test_contact_message_reaches_the_managers_through_smtp(
    client, smtp_inbox, settings, django_capture_on_commit_callbacks
):
    settings.MANAGERS = [("", "managers@example.org")]
    client.force_login(make_verified_user(email="writer@example.com"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/contact/", {"subject": "A question", "message": "Is anyone there?"}
        )

    assert response.status_code == 302
    [(recipients, message)] = smtp_inbox.messages
    assert recipients == ["managers@example.org"]
    assert "Is anyone there?" in plain_body(message)
    assert "writer@example.com" in plain_body(message)
    assert "harass" not in message["Subject"].lower()
    assert OutboxMessage.objects.get().sent_at is not None


def test_contact_message_is_kept_when_the_smtp_server_is_down(
    client, settings, caplog, django_capture_on_commit_callbacks
):
    settings.MANAGERS = [("", "managers@example.org")]
    use_smtp(settings, free_port())  # nothing listens there
    client.force_login(make_verified_user(email="writer@example.com"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/contact/", {"subject": "A question", "message": "Is anyone there?"}
        )

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Your message has been sent" in page.content.decode()
    saved = ContactMessage.objects.get()
    assert saved.message == "Is anyone there?"
    assert OutboxMessage.objects.get().sent_at is None  # the outbox will retry
    assert "Could not send outgoing email" in caplog.text


@COMMITS
def test_sign_up_with_the_smtp_server_down_creates_the_account_without_an_error(
    client, settings
):
    use_smtp(settings, free_port())  # nothing listens there
    client.raise_request_exception = False

    response = client.post(
        "/accounts/signup/",
        {"email": "newcomer@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email="newcomer@example.com").exists()
    assert "_auth_user_id" not in client.session  # not before verifying
    page = client.get(response["Location"])
    assert "We could not send you an email just now" in page.content.decode()
    queued = OutboxMessage.objects.get()  # not lost: the outbox will retry
    assert (queued.to, queued.sent_at, queued.attempts) == (
        ["newcomer@example.com"],
        None,
        1,
    )
    assert "/accounts/confirm-email/" in queued.body
    user = User.objects.get(email="newcomer@example.com")
    assert queued.about == f"accounts.user:{user.pk}"


@COMMITS
def test_password_reset_with_the_smtp_server_down_says_so_without_an_error(
    client, settings
):
    User.objects.create_user(email="forgetful@example.com", password=PASSWORD)
    use_smtp(settings, free_port())  # nothing listens there

    response = client.post(
        "/accounts/password/reset/", {"email": "forgetful@example.com"}, follow=True
    )

    assert response.status_code == 200
    assert "We could not send you an email just now" in response.content.decode()
    queued = OutboxMessage.objects.get()  # not lost: the outbox will retry
    assert (queued.to, queued.sent_at) == (["forgetful@example.com"], None)
    assert "/accounts/password/reset/key/" in queued.body
