import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import time, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from specialists.models import Specialist, validate_phone_number

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
    """A stretch of time on one weekday, e.g. Monday 09:00–12:00 local time.
    An end of 00:00 means midnight at the end of the day (24:00): a time
    field cannot hold 24:00, and a range never ends at the start of its day."""

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
            models.CheckConstraint(condition=Q(end__gt=models.F("start")) | Q(end=time(0)), name="window_ends_after_start"),
        ]  # fmt: skip

    def __str__(self):
        end = "24:00" if self.end == time(0) else f"{self.end:%H:%M}"
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{end}"


class DateOff(models.Model):
    """Days without consultations, from `start` to `end` inclusive (a holiday;
    one day off has end == start), as dates in the specialist's time zone."""

    availability = models.ForeignKey(
        Availability, on_delete=models.CASCADE, related_name="dates_off"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("dates off")
        verbose_name_plural = _("dates off")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="date_off_ends_on_or_after_start"),
        ]  # fmt: skip

    def __str__(self):
        if self.end == self.start:
            return f"{self.start:%Y-%m-%d}"
        return f"{self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"


@dataclass(frozen=True)
class MeetingDetails:
    """How one booked consultation happens, for the booked visitor and the
    specialist only: every page, email and calendar file that gives the
    details takes its wording from here."""

    format: str
    for_visitor: str  # "By video: join with this link at the booked time: …"
    for_specialist: str  # "By phone: you call them on …"
    location: str  # the calendar's LOCATION: the link, the address, …
    link: str = ""  # the video link, to show as a link


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
    visitor_phone = models.CharField(
        _("your phone number (only if you chose phone)"),
        max_length=40,
        blank=True,
        validators=[validate_phone_number],
    )
    # Safe contact: the common wishes as choices, the rest as free text. The
    # specialist sees them first; the site honours what it can (no reminder).
    no_voicemail = models.BooleanField(_("Please do not leave a voicemail"), default=False)  # fmt: skip
    no_further_emails = models.BooleanField(
        _("Do not email me after the confirmation (no reminder)"),
        default=False,
        help_text=_(
            "You still get the confirmation, and an email if the specialist "
            "cancels or changes your consultation: those are essential."
        ),
    )
    only_at_booked_time = models.BooleanField(_("Only call at the booked time"), default=False)  # fmt: skip
    discreet_caller = models.BooleanField(
        _("Do not say where you are calling from if someone else answers"),
        default=False,
    )
    contact_preferences = models.CharField(_("anything else about how and when you may be contacted"), max_length=300, blank=True)  # fmt: skip
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

    SAFE_CONTACT_FIELDS = (
        "no_voicemail",
        "no_further_emails",
        "only_at_booked_time",
        "discreet_caller",
    )

    def safe_contact_wishes(self):
        """The visitor's contact wishes, as lines for the specialist: the
        chosen ones first, then their own words."""
        wishes = [
            str(self._meta.get_field(name).verbose_name)
            for name in self.SAFE_CONTACT_FIELDS
            if getattr(self, name)
        ]
        if self.contact_preferences:
            wishes.append(self.contact_preferences)
        return wishes

    def meeting_details(self):
        """How this consultation happens, from the specialist's current
        details for the booked format (they may change the link later; the
        reminder then gives the new one)."""
        specialist = self.specialist
        name = specialist.display_name
        missing = MeetingDetails(
            format=self.preferred_format,
            for_visitor=gettext("%(specialist)s will tell you how you meet.") % {"specialist": name},
            for_specialist=gettext("Please tell the visitor how you meet: your details for this format are missing."),
            location="",
        )  # fmt: skip
        if self.preferred_format == self.Format.VIDEO:
            link = specialist.video_link
            if not link:
                return missing
            return MeetingDetails(
                format=self.preferred_format,
                for_visitor=gettext("By video: join with this link at the booked time: %(link)s") % {"link": link},
                for_specialist=gettext("By video, with your link: %(link)s") % {"link": link},
                location=link,
                link=link,
            )  # fmt: skip
        if self.preferred_format == self.Format.PHONE:
            calls = specialist.PhoneDirection
            if (
                specialist.phone_direction == calls.SPECIALIST_CALLS
                and self.visitor_phone
            ):
                number = self.visitor_phone
                return MeetingDetails(
                    format=self.preferred_format,
                    for_visitor=gettext("By phone: %(specialist)s calls you on %(number)s at the booked time.") % {"specialist": name, "number": number},
                    for_specialist=gettext("By phone: you call them on %(number)s.") % {"number": number},
                    location=gettext("Phone: the specialist calls you"),
                )  # fmt: skip
            if (
                specialist.phone_direction == calls.VISITOR_CALLS
                and specialist.phone_number
            ):
                number = specialist.phone_number
                return MeetingDetails(
                    format=self.preferred_format,
                    for_visitor=gettext("By phone: please call %(specialist)s on %(number)s at the booked time.") % {"specialist": name, "number": number},
                    for_specialist=gettext("By phone: they call you on %(number)s.") % {"number": number},
                    location=gettext("Phone: %(number)s") % {"number": number},
                )  # fmt: skip
            return missing
        address = ", ".join(specialist.address.splitlines())
        if not address:
            return missing
        return MeetingDetails(
            format=self.preferred_format,
            for_visitor=gettext("In person, at: %(address)s") % {"address": address},
            for_specialist=gettext("In person, at your address: %(address)s") % {"address": address},
            location=address,
        )  # fmt: skip

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    def new_manage_token(self):
        """A fresh private link token; only its hash is stored."""
        token = secrets.token_urlsafe(32)
        self.manage_token_hash = self.hash_token(token)
        return token


class CalendarFeed(models.Model):
    """A specialist's private calendar subscription: an address that serves
    their consultations as an iCalendar feed to the calendar app they use.

    The address carries a random token; only its SHA-256 is stored, as for a
    booking's private link, so a copy of the database opens no one's
    calendar. A new token replaces the old one, which stops working at once.
    """

    specialist = models.OneToOneField(
        Specialist, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Calendars are often shared or seen over a shoulder: titles name nobody
    # unless the specialist chooses otherwise.
    show_visitor_names = models.BooleanField(
        _("Show visitors' names in event titles"),
        default=False,
        help_text=_(
            "Off: every event is called “Free consultation”. Anyone who can "
            "see your calendar would see the names."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Updated at most hourly: tells the specialist their app is subscribed.
    last_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self):
        return str(self.specialist)

    @classmethod
    def issue(cls, specialist):
        """A new address for the specialist's feed (the raw token, shown once);
        any earlier address stops working."""
        token = secrets.token_urlsafe(32)
        token_hash = Booking.hash_token(token)
        feed, created = cls.objects.get_or_create(
            specialist=specialist, defaults={"token_hash": token_hash}
        )
        if not created:
            feed.token_hash = token_hash
            feed.created_at = timezone.now()
            feed.last_fetched_at = None
            feed.save(update_fields=["token_hash", "created_at", "last_fetched_at"])
        return token
