from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.ratelimit import RateLimit
from outbox.services import compose, enqueue

from .models import Conversation, Message, Report, free_visitor_number

MESSAGES_PER_USER = RateLimit(
    "message-user",
    limit=30,
    window=3600,
    message=_lazy(
        "You have sent %(limit)d messages in the last hour. Please wait a little; "
        "your text is still here."
    ),
)
NOTIFY_AT_MOST_EVERY = timedelta(hours=1)


def _check_can_send(*, conversation, sender):
    if conversation.user_id is None or conversation.specialist_id is None:
        raise ValidationError(
            _("The other person has left the site: messages can no longer be sent."),
            code="left",
        )
    if conversation.blocked_by:
        raise ValidationError(
            _(
                "Messages in this conversation are blocked. Neither side can send any more."
            ),
            code="blocked",
        )


def send_message(*, sender, body, conversation=None, specialist=None, site_url=""):
    """Sends `body` in the conversation (started with `specialist` if none
    yet). Raises RateLimited over the hourly limit, ValidationError when the
    conversation is blocked or the other side has left."""
    # Counted before the transaction: a refusal below must not undo the count
    # (the database cache would roll back with it, Redis would not).
    MESSAGES_PER_USER.check(sender.pk)
    return _send_message(
        sender=sender,
        body=body,
        conversation=conversation,
        specialist=specialist,
        site_url=site_url,
    )


@transaction.atomic
def _send_message(*, sender, body, conversation, specialist, site_url):
    if conversation is None:
        if specialist.user_id == sender.pk:
            raise ValidationError(
                _("You cannot send a message to yourself."), code="self"
            )
        conversation = start_conversation(user=sender, specialist=specialist)
    _check_can_send(conversation=conversation, sender=sender)
    message = Message.objects.create(
        conversation=conversation, sender=sender, body=body
    )
    now = message.created_at
    side = conversation.side_of(sender)
    conversation.last_message_at = now
    if side == Conversation.Side.USER:
        conversation.user_read_at = now
    else:
        conversation.specialist_read_at = now
    _notify_recipient(conversation, side, now, site_url)
    conversation.save()
    return message


def start_conversation(*, user, specialist, attempts=5):
    """The conversation between `user` and `specialist`, created with a visitor
    number that none of the specialist's other conversations has. Two first
    messages to one specialist at the same moment may pick the same number:
    the database refuses the second, which picks again."""
    for _attempt in range(attempts):
        existing = Conversation.objects.filter(user=user, specialist=specialist)
        if conversation := existing.first():
            return conversation
        taken = Conversation.objects.filter(specialist=specialist).values_list(
            "visitor_number", flat=True
        )
        try:
            with transaction.atomic():
                return Conversation.objects.create(
                    user=user,
                    specialist=specialist,
                    visitor_number=free_visitor_number(set(taken)),
                )
        except IntegrityError:
            continue
    raise IntegrityError("Could not start a conversation: try again.")


def _notify_recipient(conversation, sender_side, now, site_url):
    """Tells the other side a message is waiting: never the text, at most
    once an hour per conversation, and not a specialist who turned these
    emails off."""
    if sender_side == Conversation.Side.USER:
        if not conversation.specialist.email_new_messages:
            return  # turned off on their notifications page
        recipient, field = conversation.specialist.user, "specialist_notified_at"
        # The name the specialist knows the person by in their inbox.
        sender_name = conversation.other_name(recipient)
    else:
        recipient, field = conversation.user, "user_notified_at"
        # Whoever sees the person's mailbox need not learn whom they consult.
        sender_name = ""
    last = getattr(conversation, field)
    if recipient is None or (last is not None and now - last < NOTIFY_AT_MOST_EVERY):
        return
    setattr(conversation, field, now)
    link = site_url + reverse("messaging:conversation", kwargs={"pk": conversation.pk})
    message = compose(
        "new_message",
        {"link": link, "sender_name": sender_name},
        to=[recipient.email],
    )
    enqueue(message, about=recipient)


def mark_read(*, conversation, user):
    field = (
        "user_read_at"
        if conversation.side_of(user) == Conversation.Side.USER
        else "specialist_read_at"
    )
    Conversation.objects.filter(pk=conversation.pk).update(**{field: timezone.now()})


def set_blocked(*, conversation, user, blocked):
    """Blocks the conversation, or lifts the user's own block."""
    if blocked:
        return block(conversation=conversation, user=user)
    return unblock(conversation=conversation, user=user)


def block(*, conversation, user):
    """Blocks the conversation. A block stands until the side that made it
    lifts it: the other side cannot replace it with its own and unblock."""
    if not conversation.blocked_by:
        conversation.blocked_by = conversation.side_of(user)
        conversation.save(update_fields=["blocked_by"])
    return conversation


def unblock(*, conversation, user):
    """Only the side that blocked can lift it."""
    if conversation.blocked_by == conversation.side_of(user):
        conversation.blocked_by = ""
        conversation.save(update_fields=["blocked_by"])
    return conversation


def report(*, message, reporter, reason):
    return Report.objects.create(message=message, reporter=reporter, reason=reason)
