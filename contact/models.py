from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 5000


class ContactMessage(models.Model):
    """A message to the people who run the site, from a logged-in user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contact_messages",
    )
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        indexes = [
            # The hourly limit counts a user's recent messages.
            models.Index(fields=["user", "created_at"], name="contact_user_recent_idx"),
        ]

    def __str__(self):
        return self.subject
