from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _lazy

from core.ratelimit import RateLimit
from outbox.services import compose, enqueue

from .models import ContactMessage

MESSAGES_PER_USER = RateLimit(
    "contact-user",
    limit=5,
    window=3600,
    message=_lazy(
        "You have sent %(limit)d messages in the last hour. Please wait a "
        "little before sending another; your text is still here."
    ),
)


def send_contact_message(*, user, subject, message):
    """Saves the message and queues the managers' email, which goes out once
    the save has committed (and is retried if the mail server is down).

    Raises RateLimited when the user has reached the hourly limit.
    """
    MESSAGES_PER_USER.check(user.pk)
    with transaction.atomic():
        contact = ContactMessage.objects.create(
            user=user, subject=subject, message=message
        )
        _notify_managers(contact)
    return contact


def _notify_managers(contact):
    """Queues the email to the managers (none when none are configured). It
    is about the writer, so that deleting their account forgets it."""
    managers = [address for _name, address in settings.MANAGERS]
    if not managers:
        return
    message = compose(
        "contact_message",
        {
            "id": contact.pk,
            "email": contact.user.email,
            "subject": contact.subject,
            "message": contact.message,
        },
        to=managers,
        from_email=settings.SERVER_EMAIL,
    )
    enqueue(message, about=contact.user)
