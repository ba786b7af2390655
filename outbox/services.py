"""Outgoing email that survives a mail server being down.

Every email of the site goes through here. compose() builds it from the
templates emails/<name>_subject.txt and emails/<name>.txt; enqueue() saves it
in the caller's transaction, so a rolled-back booking sends nothing, and tries
to send it as soon as that transaction commits. A failed try is recorded,
never raised: the booking stands, and send_due() (the send_queued_mail
command, run from cron) tries again with a growing pause between tries, until
GIVE_UP_AFTER has passed.

Messages carry personal data until they are sent, and a record of who got
what after: forget() deletes every message about one booking or person, and
purge() every message older than the retention period.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# How long a run may take to send one message before another run may try it.
CLAIM_FOR = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
# A message still failing this long after it was queued is given up on: its
# links have expired or its news is stale, and it holds personal data.
GIVE_UP_AFTER = timedelta(days=3)


def compose(
    name, context, *, to, reply_to=(), attachments=(), from_email=None
) -> EmailMessage:
    """The email built from emails/<name>_subject.txt and emails/<name>.txt.

    Both are plain text, rendered without HTML escaping. The subject is made
    one line, so that no value in it can start another header. Attachments
    are (filename, text, mimetype).
    """
    subject = " ".join(_render(f"emails/{name}_subject.txt", context).split())
    return EmailMessage(
        subject=subject,
        body=_render(f"emails/{name}.txt", context),
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to),
        attachments=list(attachments),
    )


def _render(template_name, context):
    # The engine's own Template, so that autoescape can be turned off for
    # this render only: "&" in a name must stay "&" in a text email.
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def reference(obj):
    """What `about` holds for a model instance: "consultations.booking:42"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def enqueue(message: EmailMessage, *, about=None) -> OutboxMessage:
    """Stores `message` in the current transaction and sends it once that
    transaction has committed. `about` is the model instance the message is
    about (a booking, a user), for forget(). Raises ValueError only for what
    the outbox cannot store (cc, bcc, extra headers, HTML alternatives,
    binary files)."""
    stored = OutboxMessage.objects.create(
        about=reference(about) if about is not None else "",
        subject=message.subject,
        body=message.body,
        from_email=message.from_email,
        to=list(message.to),
        reply_to=list(message.reply_to),
        attachments=_stored_attachments(message),
    )
    # robust: an error while sending is logged, never raised into the request
    # that has already committed the booking.
    transaction.on_commit(lambda: send_one(stored.pk), robust=True)
    return stored


def _stored_attachments(message):
    unsupported = [
        name
        for name in ("cc", "bcc", "extra_headers", "alternatives")
        if getattr(message, name, None)
    ]
    if unsupported:
        raise ValueError(f"The outbox cannot store {', '.join(unsupported)}.")
    stored = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple) or not isinstance(attachment[1], str):
            raise ValueError("The outbox stores text attachments only.")
        filename, content, mimetype = attachment
        stored.append({"filename": filename, "content": content, "mimetype": mimetype})
    return stored


def forget(*, about):
    """Deletes every message about `about`, sent, waiting or given up on.
    Returns how many went."""
    deleted, _by_model = OutboxMessage.objects.filter(about=reference(about)).delete()
    return deleted


def purge(*, before):
    """Deletes every message queued, sent or given up on before `before`.
    Returns how many went."""
    old = OutboxMessage.objects.filter(
        Q(created_at__lt=before) | Q(sent_at__lt=before) | Q(failed_at__lt=before)
    )
    deleted, _by_model = old.delete()
    return deleted


def retry_delay(attempts):
    """1, 2, 4 … minutes after the first, second, third … failed try; at most
    an hour."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


def send_due(*, now=None):
    """Sends every unsent message that is due; returns how many went out."""
    due = OutboxMessage.objects.due(now).order_by("next_attempt_at", "pk")
    # Each message is claimed with the clock of its own turn, so a long batch
    # never holds a claim that has already run out.
    return sum(send_one(pk, now=now) for pk in due.values_list("pk", flat=True))


def send_one(pk, *, now=None):
    """Sends one message if it is still unsent, due (as of `now`) and
    unclaimed. Returns True when it went out; a failure is recorded for the
    next try."""
    now = now or timezone.now()
    if not _claim(pk, now):
        return False
    stored = OutboxMessage.objects.filter(pk=pk).first()
    if stored is None:  # forgotten since it was claimed
        return False
    try:
        _as_email(stored).send()
    except Exception as exc:
        attempts = stored.attempts + 1
        gives_up = now - stored.created_at >= GIVE_UP_AFTER
        # A message given up on will never be sent: like a sent one, it keeps
        # no body (it can hold a manage or password-reset link).
        scrub = {"failed_at": now, "body": "", "attachments": []} if gives_up else {}
        OutboxMessage.objects.filter(pk=pk).update(
            attempts=F("attempts") + 1,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=now + retry_delay(attempts),
            claimed_until=None,
            **scrub,
        )
        # No addresses in the log: they are personal data.
        logger.warning(
            "Could not send outgoing email %s (try %d%s): %s",
            pk,
            attempts,
            ", the last" if gives_up else "",
            type(exc).__name__,
        )
        return False
    OutboxMessage.objects.filter(pk=pk).update(
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        claimed_until=None,
        body="",
        attachments=[],
    )
    return True


def _claim(pk, now):
    """One UPDATE that only one run can win: the row must still be unsent,
    due and unclaimed when it is marked."""
    claimed = OutboxMessage.objects.due(now).filter(pk=pk)
    return claimed.update(claimed_until=timezone.now() + CLAIM_FOR) == 1


def _as_email(stored):
    return EmailMessage(
        subject=stored.subject,
        body=stored.body,
        from_email=stored.from_email,
        to=stored.to,
        reply_to=stored.reply_to,
        attachments=[
            (a["filename"], a["content"], a["mimetype"]) for a in stored.attachments
        ],
    )
