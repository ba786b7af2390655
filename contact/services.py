import logging

from django.core.mail import mail_managers
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.ratelimit import RateLimit

from .models import ContactMessage

logger = logging.getLogger(__name__)

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
    """Saves the message, then emails the managers once the save has committed.

    Raises RateLimited when the user has reached the hourly limit.
    """
    MESSAGES_PER_USER.check(user.pk)
    with transaction.atomic():
        contact = ContactMessage.objects.create(
            user=user, subject=subject, message=message
        )
        transaction.on_commit(lambda: notify_managers(contact))
    return contact


def notify_managers(contact):
    """Emails the managers. A failure is logged and leaves the message saved,
    with notified_at empty, for staff to read in the admin."""
    try:
        mail_managers(
            # A neutral subject: mailbox previews are often seen by others.
            _("New contact message #%(id)d") % {"id": contact.pk},
            _("From: %(email)s\nSubject: %(subject)s\n\n%(message)s")
            % {
                "email": contact.user.email,
                "subject": contact.subject,
                "message": contact.message,
            },
        )
    except Exception:
        logger.exception(
            "Could not email the managers about contact message %s", contact.pk
        )
        return
    ContactMessage.objects.filter(pk=contact.pk).update(notified_at=timezone.now())
