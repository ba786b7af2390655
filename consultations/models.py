import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from specialists.models import Specialist

from .slots import SLOT_MINUTES

SLOT = timedelta(minutes=SLOT_MINUTES)


class Availability(models.Model):
    """When a specialist takes free consultations, in their own time zone."""

    specialist = models.OneToOneField(
        Specialist, on_delete=models.CASCADE, related_name="availability"
    )
    minimum_notice_hours = models.PositiveSmallIntegerField(
        _("minimum notice (hours)"), default=12, validators=[MaxValueValidator(24 * 14)]
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("bookings open this many days ahead"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")

    def __str__(self):
        return str(self.specialist)


class WeeklyWindow(models.Model):
    """A stretch of time on one weekday, e.g. Monday 09:00–12:00 local time."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    availability = models.ForeignKey(
        Availability, on_delete=models.CASCADE, related_name="windows"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = _("weekly hours")
        verbose_name_plural = _("weekly hours")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="window_ends_after_start"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class DateOff(models.Model):
    availability = models.ForeignKey(
        Availability, on_delete=models.CASCADE, related_name="dates_off"
    )
    date = models.DateField(_("date"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("date off")
        verbose_name_plural = _("dates off")
        constraints = [
            models.UniqueConstraint(fields=["availability", "date"], name="one_date_off_per_day"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.date:%Y-%m-%d}"


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Booking.OCCUPYING)

    def upcoming(self):
        return self.active().filter(start__gte=timezone.now())


class Booking(models.Model):
    """A free 30-minute first consultation, booked by a visitor (no account needed)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("No-show")

    class Format(models.TextChoices):
        VIDEO = "video", _("Video")
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("In person")

    # Every status in which the booking holds its time: the uniqueness guard
    # covers them all, so no state change can slip past it.
    OCCUPYING = [Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW]

    specialist = models.ForeignKey(
        Specialist, on_delete=models.CASCADE, related_name="bookings"
    )
    # The account the visitor was signed in to when booking, if any. Only
    # then does "Your data" show the booking's details: an address alone
    # proves nothing (a visitor may mistype someone else's).
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    start = models.DateTimeField(_("start"))  # UTC
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"))
    preferred_format = models.CharField(_("preferred format"), max_length=10, choices=Format.choices)  # fmt: skip
    contact_preferences = models.CharField(_("how and when we may contact you"), max_length=300, blank=True)  # fmt: skip
    note = models.TextField(_("note for the specialist"), max_length=1000, blank=True)
    visitor_time_zone = models.CharField(
        _("visitor's time zone"), max_length=64, default="UTC"
    )
    consented_at = models.DateTimeField(_("agreed to the privacy notice"))
    # Calendar identity: one UID for the booking's whole life, SEQUENCE grows
    # with every change so calendars update the same event.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    manage_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The booking form's one-time token: a resubmitted form books once.
    form_token = models.CharField(max_length=64, unique=True, editable=False)
    cancelled_by = models.CharField(max_length=12, blank=True, editable=False)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The visitor may fix a typo in their address once, right after booking.
    email_corrected = models.BooleanField(default=False, editable=False)
    # Set when personal data is purged; the row stays for anonymous counts.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            # No double booking, ever: one active booking per specialist and time.
            models.UniqueConstraint(
                fields=["specialist", "start"],
                condition=Q(status__in=["confirmed", "completed", "no_show"]),
                name="one_active_booking_per_slot",
            ),
        ]
        indexes = [
            # Reminders and the dashboards: active bookings by time.
            models.Index(fields=["status", "start"], name="booking_status_start_idx"),
            # Abuse limits: upcoming bookings per email address.
            models.Index(fields=["email", "start"], name="booking_email_start_idx"),
        ]

    def __str__(self):
        return f"{self.specialist} {self.start:%Y-%m-%d %H:%M} UTC"

    @property
    def end(self):
        return self.start + SLOT

    @property
    def is_active(self):
        return self.status in self.OCCUPYING

    @property
    def is_upcoming(self):
        return self.is_active and self.start >= timezone.now()

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    def new_manage_token(self):
        """A fresh private link token; only its hash is stored."""
        token = secrets.token_urlsafe(32)
        self.manage_token_hash = self.hash_token(token)
        return token
