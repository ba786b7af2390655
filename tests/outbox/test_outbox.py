"""The outbox: saved with the transaction, sent after commit, retried until
it goes out, never sent twice, and emptied of its private text once sent."""

import contextlib
import io
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from outbox import services
from outbox.management.commands.send_queued_mail import Command as SendQueuedMail
from outbox.models import OutboxMessage
from tests.factories import ICS, PRIVATE_LINK, make_email, make_staff
from tests.smtp import Inbox, free_port, use_smtp

pytestmark = pytest.mark.django_db


def run_command(*args):
    out = io.StringIO()
    call_command("send_queued_mail", *args, stdout=out)
    return out.getvalue()


def test_enqueue_in_a_rolled_back_transaction_sends_nothing(
    mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        services.enqueue(make_email())
        raise RuntimeError("the booking failed")

    assert callbacks == []
    assert mailoutbox == []
    assert not OutboxMessage.objects.exists()


def test_enqueue_waits_for_the_commit_then_sends_at_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        stored = services.enqueue(make_email())
        assert mailoutbox == []  # not before the commit

    [sent] = mailoutbox
    assert sent.to == ["visitor@example.org"]
    assert sent.reply_to == ["help@example.org"]
    assert PRIVATE_LINK in sent.body
    assert sent.attachments == [
        ("appointment.ics", ICS, "text/calendar; method=REQUEST")
    ]
    stored.refresh_from_db()
    assert stored.sent_at is not None
    assert stored.attempts == 1
    assert stored.last_error == ""


def test_sent_message_keeps_only_subject_recipients_and_times(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stored = services.enqueue(make_email())

    stored.refresh_from_db()
    assert stored.body == ""
    assert stored.attachments == []
    assert stored.subject.startswith("Your appointment on")
    assert stored.to == ["visitor@example.org"]
    assert stored.created_at <= stored.sent_at


def test_smtp_server_down_keeps_the_message_queued_then_cron_delivers_it_once(
    settings, django_capture_on_commit_callbacks
):
    port = free_port()
    use_smtp(settings, port)  # nothing listens there yet

    with django_capture_on_commit_callbacks(execute=True):
        stored = services.enqueue(make_email())  # no exception reaches us

    stored.refresh_from_db()
    assert stored.sent_at is None
    assert stored.attempts == 1
    assert "ConnectionRefusedError" in stored.last_error
    wait = stored.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(minutes=1)
    assert PRIVATE_LINK in stored.body  # kept for the next try

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert "Sent 0 messages; 1 still waiting." in run_command()  # not yet due
        OutboxMessage.objects.update(next_attempt_at=timezone.now())  # a minute on
        assert "Sent 1 messages; 0 still waiting." in run_command()
        assert "Sent 0 messages; 0 still waiting." in run_command()
    finally:
        controller.stop()

    [(recipients, received)] = inbox.messages
    assert recipients == ["visitor@example.org"]
    assert PRIVATE_LINK in received.get_body(("plain",)).get_content()
    [calendar] = list(received.iter_attachments())
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_filename() == "appointment.ics"
    stored.refresh_from_db()
    assert stored.sent_at is not None
    assert stored.attempts == 2
    assert stored.body == ""
    assert stored.attachments == []


def test_each_failure_waits_twice_as_long_up_to_an_hour():
    minutes = [services.retry_delay(n) / timedelta(minutes=1) for n in range(1, 10)]

    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_second_failure_waits_two_minutes(settings):
    use_smtp(settings, free_port())
    stored = OutboxMessage.objects.create(
        subject="s", body="b", from_email="from@example.org", to=["a@example.org"]
    )
    services.send_due()
    now = timezone.now() + timedelta(minutes=1)

    services.send_due(now=now)

    stored.refresh_from_db()
    assert stored.attempts == 2
    assert stored.sent_at is None
    assert stored.next_attempt_at == now + timedelta(minutes=2)


class RacingBackend(LocmemBackend):
    """While the first run is sending, a second run starts: it must neither
    list the message nor win the claim of one it listed a moment earlier."""

    second_run = []

    def send_messages(self, messages):
        if not self.second_run:
            self.second_run.append(None)
            pk = OutboxMessage.objects.get().pk
            self.second_run[0] = (services.send_due(), services.send_one(pk))
        return super().send_messages(messages)


def test_two_runs_racing_send_a_message_once(settings):
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.RacingBackend"
    RacingBackend.second_run = []
    mail.outbox = []
    OutboxMessage.objects.create(
        subject="s", body="b", from_email="from@example.org", to=["a@example.org"]
    )

    first = services.send_due()
    then = services.send_due()

    assert (first, then) == (1, 0)
    assert RacingBackend.second_run == [(0, False)]
    assert len(mail.outbox) == 1


def test_a_claim_left_by_a_run_that_died_runs_out(mailoutbox):
    claimed = OutboxMessage.objects.create(
        subject="claimed",
        body="b",
        from_email="from@example.org",
        to=["a@example.org"],
        claimed_until=timezone.now() + timedelta(minutes=4),
    )
    OutboxMessage.objects.create(
        subject="stale claim",
        body="b",
        from_email="from@example.org",
        to=["b@example.org"],
        claimed_until=timezone.now() - timedelta(seconds=1),
    )

    assert services.send_due() == 1

    assert [m.subject for m in mailoutbox] == ["stale claim"]
    claimed.refresh_from_db()
    assert claimed.sent_at is None


def test_dry_run_lists_due_messages_and_sends_nothing(mailoutbox):
    OutboxMessage.objects.create(
        subject="Your appointment", from_email="f@example.org", to=["a@example.org"]
    )
    OutboxMessage.objects.create(
        subject="Later",
        from_email="f@example.org",
        to=["b@example.org"],
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )

    output = run_command("--dry-run")

    assert "to a@example.org: Your appointment" in output
    assert "Later" not in output
    assert "1 messages due; nothing sent (dry run)." in output
    assert mailoutbox == []
    assert OutboxMessage.objects.unsent().count() == 2


def test_enqueue_refuses_what_it_cannot_store():
    with pytest.raises(ValueError, match="bcc"):
        services.enqueue(make_email(bcc=["hidden@example.org"]))


def test_admin_lists_messages_without_their_body(client):
    client.force_login(make_staff(is_superuser=True))
    OutboxMessage.objects.create(
        subject="Your appointment",
        body=PRIVATE_LINK,
        from_email="f@example.org",
        to=["a@example.org"],
    )
    message = OutboxMessage.objects.get()

    listing = client.get("/admin/outbox/outboxmessage/")
    detail = client.get(f"/admin/outbox/outboxmessage/{message.pk}/change/")

    assert listing.status_code == 200
    assert "Your appointment" in listing.content.decode()
    assert detail.status_code == 200
    assert PRIVATE_LINK not in detail.content.decode()
    assert client.get("/admin/outbox/outboxmessage/add/").status_code == 403


def test_a_message_failing_for_three_days_is_given_up_emptied_and_never_retried(
    settings,
):
    use_smtp(settings, free_port())  # nothing listens there
    queued = timezone.now() - timedelta(days=3, minutes=1)
    stored = OutboxMessage.objects.create(
        subject="s",
        body=PRIVATE_LINK,
        from_email="from@example.org",
        to=["a@example.org"],
        created_at=queued,
        next_attempt_at=queued,
    )

    assert "Sent 0 messages; 0 still waiting." in run_command()

    stored.refresh_from_db()
    assert stored.failed_at is not None
    assert stored.attempts == 1
    assert stored.body == ""  # never to be sent: the private link goes
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert services.send_due(now=timezone.now() + timedelta(days=1)) == 0
    stored.refresh_from_db()
    assert stored.attempts == 1


def test_a_message_failing_for_less_than_three_days_is_retried(settings):
    use_smtp(settings, free_port())
    queued = timezone.now() - timedelta(days=2, hours=23)
    stored = OutboxMessage.objects.create(
        subject="s",
        from_email="from@example.org",
        to=["a@example.org"],
        created_at=queued,
        next_attempt_at=queued,
    )

    services.send_due()

    stored.refresh_from_db()
    assert (stored.failed_at, stored.attempts) == (None, 1)
    assert OutboxMessage.objects.due(stored.next_attempt_at).get() == stored


def test_the_command_help_states_when_it_gives_up():
    assert "3 days after it was queued is marked failed" in SendQueuedMail.help


def test_forget_deletes_every_message_about_one_thing_sent_or_not(
    mailoutbox, django_capture_on_commit_callbacks
):
    someone, someone_else = make_staff(), make_staff()
    with django_capture_on_commit_callbacks(execute=True):
        services.enqueue(make_email(), about=someone)  # sent at once
    services.enqueue(make_email(), about=someone)  # never committed: unsent
    kept = services.enqueue(make_email(), about=someone_else)
    OutboxMessage.objects.create(
        subject="given up",
        from_email="f@example.org",
        about=services.reference(someone),
        failed_at=timezone.now(),
    )

    assert services.forget(about=someone) == 3

    assert list(OutboxMessage.objects.all()) == [kept]
    assert kept.about == f"accounts.user:{someone_else.pk}"


def test_purge_deletes_old_messages_sent_failed_or_waiting():
    old = timezone.now() - timedelta(days=91)
    recent = timezone.now() - timedelta(days=89)
    for created, sent, failed in [
        (old, old, None),
        (old, None, old),
        (old, None, None),
        (recent, recent, None),
        (recent, None, recent),
    ]:
        OutboxMessage.objects.create(
            subject="s",
            from_email="f@example.org",
            created_at=created,
            sent_at=sent,
            failed_at=failed,
        )

    deleted = services.purge(before=timezone.now() - timedelta(days=90))

    assert deleted == 3
    assert OutboxMessage.objects.filter(created_at__gte=recent).count() == 2


def test_compose_renders_plain_text_templates_with_a_one_line_subject(
    settings, tmp_path
):
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "hello_subject.txt").write_text(
        "Hello\n{{ name }}\r\nBcc: x@evil.example\n"
    )
    (tmp_path / "emails" / "hello.txt").write_text("Dear {{ name }},\n\n{{ note }}\n")
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [tmp_path],
        }
    ]

    message = services.compose(
        "hello",
        {"name": "Sam & <Alex>", "note": "a < b"},
        to=["a@example.org"],
        attachments=[("a.ics", ICS, "text/calendar")],
    )

    assert message.subject == "Hello Sam & <Alex> Bcc: x@evil.example"
    assert message.body == "Dear Sam & <Alex>,\n\na < b\n"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.to == ["a@example.org"]
    assert message.attachments == [("a.ics", ICS, "text/calendar")]
