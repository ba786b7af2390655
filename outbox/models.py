from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessageQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)

    def waiting(self):
        """Unsent and not given up on: the sender will try them again."""
        return self.unsent().filter(failed_at__isnull=True)

    def due(self, now=None):
        """Waiting, due for a try, and not claimed by a run that is sending it."""
        now = now or timezone.now()
        return self.waiting().filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            next_attempt_at__lte=now,
        )


class OutboxMessage(models.Model):
    """One email, saved in the transaction that caused it and sent after commit.

    Once sent or given up on, the body and attachments are cleared: they can
    hold a private manage link. Subject, recipients and timestamps stay as a
    record.

    `about` names what the message is about ("consultations.booking:42"), so
    that the owner of that data can have every message about it forgotten,
    sent or not, without the outbox knowing the other apps.
    """

    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    from_email = models.CharField(_("from"), max_length=320)
    to = models.JSONField(_("to"), default=list)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    # [{"filename": ..., "content": <text>, "mimetype": ...}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # Set when the sender gave up (see services.GIVE_UP_AFTER): never retried.
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)
    about = models.CharField(_("about"), max_length=100, blank=True, editable=False)
    # A run sets this before it sends, so an overlapping run leaves the message
    # alone; a run that died mid-send loses its claim when the time passes.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [
            # send_queued_mail: unsent messages whose next attempt is due.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True),
                name="outbox_unsent_due_idx",
            ),
            # forget(about=...): every message about one booking or person.
            models.Index(
                fields=["about"],
                condition=~Q(about=""),
                name="outbox_about_idx",
            ),
        ]

    def __str__(self):
        return self.subject
