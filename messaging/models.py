import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from specialists.models import Specialist

MAX_LENGTH = 5000

# A person without a display name is "Visitor 4821" to the specialist: four
# digits, five once a specialist has used up every four-digit number.
VISITOR_NUMBERS = range(1000, 10000)
MORE_VISITOR_NUMBERS = range(10000, 100000)


def free_visitor_number(taken):
    """A random visitor number not in `taken`. Random, not counted up: a
    number must say nothing about the person (not their account, not how many
    wrote before them)."""
    for numbers in (VISITOR_NUMBERS, MORE_VISITOR_NUMBERS):
        free = set(numbers).difference(taken)
        if free:
            return secrets.choice(sorted(free))
    raise ValueError("No visitor number left")


class ConversationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Conversations this user takes part in: as the person writing, or
        as the specialist written to. Nobody else's, staff included."""
        return self.filter(Q(user=user) | Q(specialist__user=user))

    def unread_for(self, user):
        as_user = Q(user=user) & (
            Q(user_read_at__isnull=True) | Q(user_read_at__lt=F("last_message_at"))
        )
        as_specialist = Q(specialist__user=user) & (
            Q(specialist_read_at__isnull=True)
            | Q(specialist_read_at__lt=F("last_message_at"))
        )
        return self.filter(last_message_at__isnull=False).filter(
            as_user | as_specialist
        )


class Conversation(models.Model):
    """Private messages between a person and a specialist."""

    class Side(models.TextChoices):
        USER = "user", _("the person")
        SPECIALIST = "specialist", _("the specialist")

    # Null once the person deletes their account: the specialist keeps the thread.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="conversations",
    )
    # Null once the specialist leaves: the person keeps their thread too.
    specialist = models.ForeignKey(
        Specialist, on_delete=models.SET_NULL, null=True, related_name="conversations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    user_read_at = models.DateTimeField(null=True, blank=True)
    specialist_read_at = models.DateTimeField(null=True, blank=True)
    user_notified_at = models.DateTimeField(null=True, blank=True)
    specialist_notified_at = models.DateTimeField(null=True, blank=True)
    blocked_by = models.CharField(max_length=10, choices=Side.choices, blank=True)
    # What the specialist calls a person who has not chosen a name; stored so
    # that it never changes while the conversation lasts.
    visitor_number = models.PositiveIntegerField(_("visitor number"), editable=False)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "specialist"], name="one_conversation_per_pair"
            ),
            # Two people writing to one specialist never share a pseudonym.
            models.UniqueConstraint(
                fields=["specialist", "visitor_number"],
                name="one_visitor_number_per_specialist",
            ),
        ]

    def __str__(self):
        return f"Conversation {self.pk}"

    def get_absolute_url(self):
        return reverse("messaging:conversation", kwargs={"pk": self.pk})

    def side_of(self, user):
        return self.Side.USER if self.user_id == user.pk else self.Side.SPECIALIST

    def other_name(self, user):
        if self.side_of(user) == self.Side.USER:
            if self.specialist is None:
                return _("A specialist who has left")
            return self.specialist.display_name
        if self.user is None:
            return _("Deleted account")
        # Never the email address: people write under the name they chose,
        # or else under this conversation's pseudonym.
        return self.user.name or self.pseudonym

    @property
    def pseudonym(self):
        return _("Visitor %(number)d") % {"number": self.visitor_number}

    def other_reference(self, user):
        """The pseudonym beside a chosen name (or "Deleted account"), for the
        specialist: it tells two people of the same name apart, and stays put
        when a name changes."""
        if self.side_of(user) == self.Side.USER:
            return ""
        if self.user is None or self.user.name:
            return self.pseudonym
        return ""

    def is_unread_for(self, user):
        read_at = (
            self.user_read_at
            if self.side_of(user) == self.Side.USER
            else self.specialist_read_at
        )
        return self.last_message_at is not None and (
            read_at is None or read_at < self.last_message_at
        )


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="sent_messages",
    )
    body = models.TextField(_("message"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # The hourly limit counts a sender's recent messages.
            models.Index(
                fields=["sender", "created_at"], name="message_sender_recent_idx"
            ),
        ]

    def __str__(self):
        return f"Message {self.pk}"


class Report(models.Model):
    """A participant asks staff to look at a message. Only reported messages
    are ever shown to staff (in the admin)."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="reports"
    )
    # The reporter's words go with their account.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(_("dealt with"), default=False)

    class Meta:
        ordering = ["resolved", "-created_at"]

    def __str__(self):
        return f"Report {self.pk}"
