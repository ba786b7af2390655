import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import mail_managers
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ContactMessage

logger = logging.getLogger(__name__)

HOURLY_LIMIT = 5


def send_contact_message(*, user, subject, message):
    """Saves the message, then emails the managers once the save has committed.

    Raises ValidationError when the user has reached the hourly limit.
    """
    an_hour_ago = timezone.now() - timedelta(hours=1)
    with transaction.atomic():
        # Locking the user's row makes two simultaneous sends count one after
        # the other (PostgreSQL; SQLite's IMMEDIATE transactions already do).
        get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)
        recent = ContactMessage.objects.filter(user=user, created_at__gte=an_hour_ago)
        if recent.count() >= HOURLY_LIMIT:
            raise ValidationError(
                _(
                    "You have sent %(limit)d messages in the last hour. Please wait a "
                    "little before sending another; your text is still here."
                ),
                code="rate_limited",
                params={"limit": HOURLY_LIMIT},
            )
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
