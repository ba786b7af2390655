import pytest
from django.test import Client

from contact.models import ContactMessage
from outbox.models import OutboxMessage
from tests.factories import make_verified_user
from tests.html import parse_html

URL = "/contact/"


@pytest.fixture
def verified_client(client, db):
    client.force_login(make_verified_user())
    return client


def test_sending_saves_emails_the_managers_and_confirms(
    verified_client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.MANAGERS = [("", "managers@example.org")]

    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client.post(
            URL, {"subject": "A question", "message": "Hello,\nis anyone there?"}
        )

    assert response.status_code == 302
    page = verified_client.get(response["Location"])
    assert "Your message has been sent" in page.content.decode()
    saved = ContactMessage.objects.get()
    assert (saved.subject, saved.message) == ("A question", "Hello,\nis anyone there?")
    assert OutboxMessage.objects.get().sent_at is not None
    assert [m.to for m in mailoutbox] == [["managers@example.org"]]
    assert "is anyone there?" in mailoutbox[0].body
    assert "harass" not in mailoutbox[0].subject.lower()


@pytest.mark.parametrize(
    "message,error",
    [
        ("", "This field is required."),
        ("x" * 5001, "Ensure this value has at most 5000 characters (it has 5001)."),
        ("x" * 6000, "Ensure this value has at most 5000 characters (it has 6000)."),
    ],
)
def test_empty_or_too_long_message_is_refused_and_kept(verified_client, message, error):
    response = verified_client.post(
        URL, {"subject": "Subject kept", "message": message}
    )

    assert response.status_code == 200
    page = parse_html(response.content)
    assert error in page.find("div", class_="error-summary").text
    assert page.find("input", name="subject").attrs["value"] == "Subject kept"
    assert page.find("textarea", name="message").attrs["aria-invalid"] == "true"
    assert ContactMessage.objects.count() == 0


def test_five_messages_an_hour_then_a_clear_refusal_that_keeps_the_text(
    verified_client,
):
    for n in range(5):
        response = verified_client.post(URL, {"subject": f"S{n}", "message": "m"})
        assert response.status_code == 302

    sixth = verified_client.post(URL, {"subject": "Sixth", "message": "Please keep me"})

    assert sixth.status_code == 429
    assert 0 < int(sixth["Retry-After"]) <= 3600
    page = parse_html(sixth.content)
    assert (
        "5 messages in the last hour" in page.find("div", class_="error-summary").text
    )
    assert page.find("textarea", name="message").text.strip() == "Please keep me"
    assert ContactMessage.objects.count() == 5


def test_messages_older_than_an_hour_do_not_count(verified_client, clock):
    for n in range(5):
        verified_client.post(URL, {"subject": f"S{n}", "message": "m"})
    clock.advance(hours=1, seconds=1)

    response = verified_client.post(URL, {"subject": "Later", "message": "m"})

    assert response.status_code == 302
    assert ContactMessage.objects.count() == 6


def test_the_limit_holds_in_another_browser_of_the_same_user(db):
    user = make_verified_user()
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(user)
    for n in range(5):
        first.post(URL, {"subject": f"S{n}", "message": "m"})

    refused = second.post(URL, {"subject": "Elsewhere", "message": "Keep me"})

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    page = parse_html(refused.content)
    assert page.find("input", name="subject").attrs["value"] == "Elsewhere"
    assert page.find("textarea", name="message").text.strip() == "Keep me"


def test_a_failing_mail_server_never_loses_the_message_and_the_email_is_retried(
    verified_client, settings, django_capture_on_commit_callbacks
):
    settings.MANAGERS = [("", "managers@example.org")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    settings.EMAIL_TIMEOUT = 1

    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client.post(URL, {"subject": "Kept", "message": "Safe"})

    assert response.status_code == 302
    saved = ContactMessage.objects.get()
    assert saved.message == "Safe"
    queued = OutboxMessage.objects.get()
    assert (queued.sent_at, queued.attempts) == (None, 1)
    assert queued.to == ["managers@example.org"]
    assert "Safe" in queued.body
    assert queued.about == f"accounts.user:{saved.user.pk}"


def test_no_managers_configured_queues_no_email(
    verified_client, settings, django_capture_on_commit_callbacks
):
    settings.MANAGERS = []

    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client.post(URL, {"subject": "S", "message": "m"})

    assert response.status_code == 302
    assert ContactMessage.objects.count() == 1
    assert not OutboxMessage.objects.exists()


def test_contact_messages_are_listed_and_searchable_in_the_admin(admin_client, db):
    user = make_verified_user(email="writer@example.org")
    ContactMessage.objects.create(user=user, subject="About cookies", message="m")
    ContactMessage.objects.create(user=user, subject="Something else", message="m")

    response = admin_client.get("/admin/contact/contactmessage/", {"q": "cookies"})

    content = response.content.decode()
    assert "About cookies" in content
    assert "Something else" not in content


def test_a_full_length_message_with_browser_line_breaks_is_accepted(verified_client):
    # A browser counts each line break as one character but sends CRLF.
    message = ("x" * 99 + "\r\n") * 49 + "x" * 100  # 5,000 characters as typed

    response = verified_client.post(URL, {"subject": "Long", "message": message})

    assert response.status_code == 302
    assert len(ContactMessage.objects.get().message) == 5000
