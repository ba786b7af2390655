"""Booking, rescheduling and cancelling free consultations.

No double booking, ever: the database's conditional unique constraint on
(specialist, start) for every booking that holds its time is the guard. The
slot is checked before the insert only to give a helpful answer; two
visitors racing for one slot both pass that check, and the constraint lets
exactly one of them in (IntegrityError -> SlotTaken for the other).
"""

import secrets
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.ratelimit import RateLimit, RateLimited
from outbox import services as outbox
from specialists.models import FreeSlot, Specialist

from . import emails, slots
from .models import SLOT, Availability, Booking, DateOff, WeeklyWindow

_TOO_MANY = _lazy("Too many booking attempts. Please wait an hour and try again.")
BOOKINGS_PER_IP = RateLimit("book-ip", limit=10, window=3600, message=_TOO_MANY)
BOOKINGS_PER_EMAIL = RateLimit("book-email", limit=5, window=3600, message=_TOO_MANY)

# Each move sends two emails (visitor and specialist): without limits, anyone
# holding a private link could flood both inboxes. A person who really needs
# another time moves once or twice; three a day and ten in all leave room for
# that, and the per-address limit stops one visitor cycling through links.
_MOVED_TOO_OFTEN = _lazy(
    "This consultation has been moved several times today. Please try again "
    "later, or cancel it and book a new time."
)
RESCHEDULES_PER_BOOKING = RateLimit(
    "reschedule-booking", limit=3, window=86400, message=_MOVED_TOO_OFTEN
)
RESCHEDULES_PER_IP = RateLimit(
    "reschedule-ip", limit=10, window=3600, message=_MOVED_TOO_OFTEN
)
# In all, for the life of a booking. Booking.sequence counts the moves of an
# upcoming booking (only a reschedule raises it; a cancel ends the booking).
MAX_RESCHEDULES = 10

# How far ahead refresh_free_slots writes the free times: the copy stays right
# while time passes for this long without a refresh, which the daily
# `refresh_free_slots` command gives with six days to spare.
FREE_SLOTS_LEAD = timedelta(days=7)


class SlotTaken(Exception):
    """The time was taken a moment ago (or is no longer offered)."""


def schedule_for(specialist, *, now=None, lead=timedelta(0)):
    """The specialist's slots-to-be: their hours, dates off and taken times,
    with the horizon stretched by `lead`."""
    availability, _created = Availability.objects.get_or_create(specialist=specialist)
    return build_schedule(
        specialist,
        windows=[
            slots.Window(w.weekday, w.start, w.end) for w in availability.windows.all()
        ],
        dates_off=[(off.start, off.end) for off in availability.dates_off.all()],
        minimum_notice=timedelta(hours=availability.minimum_notice_hours),
        horizon=timedelta(days=availability.horizon_days) + lead,
        now=now,
    )


def build_schedule(specialist, *, windows, dates_off, minimum_notice, horizon, now=None):  # fmt: skip
    """A Schedule from hours and dates off given as data, saved or not, with
    the specialist's taken times: the one place both real slots and the
    availability page's preview come from. dates_off are (first, last) days."""
    now = now or timezone.now()
    taken = Booking.objects.active().filter(
        specialist=specialist, start__gte=now, start__lte=now + horizon + SLOT
    )
    # Local dates may be a day either side of the UTC ones.
    first, last = (now - timedelta(days=1)).date(), (now + horizon + timedelta(days=1)).date()  # fmt: skip
    days_off = set()
    for start, end in dates_off:
        day, end = max(start, first), min(end, last)
        while day <= end:
            days_off.add(day)
            day += timedelta(days=1)
    return slots.Schedule(
        time_zone=specialist.time_zone,
        windows=list(windows),
        dates_off=days_off,
        taken=set(taken.values_list("start", flat=True)),
        minimum_notice=minimum_notice,
        horizon=horizon,
    )


PREVIEW_DAYS = 7


def preview_slots(*, specialist, windows, dates_off, minimum_notice_hours, now=None):
    """The free slots that unsaved hours would give in the next PREVIEW_DAYS
    days, as [(local date, [local datetimes])] for each of those days in the
    specialist's zone. Writes nothing."""
    now = now or timezone.now()
    schedule = build_schedule(
        specialist,
        windows=windows,
        dates_off=dates_off,
        minimum_notice=timedelta(hours=minimum_notice_hours),
        horizon=timedelta(days=PREVIEW_DAYS),
        now=now,
    )
    found = dict(
        slots.by_local_day(slots.free_slots(schedule, now), specialist.time_zone)
    )
    today = now.astimezone(ZoneInfo(specialist.time_zone)).date()
    days = [today + timedelta(days=n) for n in range(PREVIEW_DAYS)]
    return [(day, found.get(day, [])) for day in days]


@transaction.atomic
def save_availability(*, specialist, form, windows, dates_off):
    """Saves the specialist's availability page at once: the settings (form,
    valid), the weekly hours (slots.Window) and the dates off ((first, last)
    days), which replace the saved ones, and whether they offer free
    consultations."""
    availability = form.save()
    availability.windows.all().delete()
    WeeklyWindow.objects.bulk_create(
        WeeklyWindow(availability=availability, weekday=w.weekday, start=w.start, end=w.end)
        for w in windows
    )  # fmt: skip
    availability.dates_off.all().delete()
    DateOff.objects.bulk_create(
        DateOff(availability=availability, start=start, end=end)
        for start, end in dates_off
    )
    specialist.offers_free_consultation = form.cleaned_data["offers_free_consultation"]
    specialist.save(update_fields=["offers_free_consultation", "updated_at"])
    refresh_free_slots(specialist)
    return availability


def free_slots(specialist, *, now=None):
    now = now or timezone.now()
    return slots.free_slots(schedule_for(specialist, now=now), now)


def refresh_free_slots(specialist, *, now=None):
    """Rewrites the specialist's FreeSlot rows from their schedule, so that the
    directory, the badges and the featured lists show them as bookable exactly
    when free_slots() has a time for them. Call it after every change to their
    bookings, hours, dates off, notice, horizon or time zone.

    A slot s is offered at instant t when t + notice <= s <= t + horizon. The
    rows cover every t up to FREE_SLOTS_LEAD from now: the slots up to
    now + lead + notice, plus the first one after them (the next free time
    for any t whose notice reaches past them). Later slots cannot be the
    answer before the next refresh, so they are not written: a week of rows
    instead of the whole horizon's.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the profile: two refreshes at once must not leave a mix of an
        # older and a newer computation (on SQLite the transaction already
        # holds the write lock).
        specialist = (
            Specialist.objects.select_for_update().filter(pk=specialist.pk).first()
        )
        if specialist is None:
            return []
        rows = []
        if Availability.objects.filter(specialist=specialist).exists():
            schedule = schedule_for(specialist, now=now, lead=FREE_SLOTS_LEAD)
            notice = schedule.minimum_notice
            horizon = schedule.horizon - FREE_SLOTS_LEAD
            last_needed = now + FREE_SLOTS_LEAD + notice
            for start in slots.free_slots(schedule, now):
                rows.append(
                    FreeSlot(
                        specialist=specialist,
                        start=start,
                        bookable_until=start - notice,
                        visible_from=start - horizon,
                    )
                )
                if start > last_needed:
                    break
        FreeSlot.objects.filter(specialist=specialist).delete()
        return FreeSlot.objects.bulk_create(rows)


def nearest_free_slots(specialist, wanted, *, count=6, now=None):
    """The `count` free slots closest to `wanted` (before or after), in order:
    what to offer when `wanted` was taken a moment ago."""
    free = free_slots(specialist, now=now)
    nearest = sorted(free, key=lambda start: abs(start - wanted))[:count]
    return sorted(nearest)


def has_other_upcoming(*, specialist, email, exclude):
    """Whether this address has another upcoming consultation with the
    specialist. Told only to the address itself, in its email: a refusal on
    the page would tell anyone who types the address (see book_consultation)."""
    return (
        Booking.objects.upcoming()
        .filter(specialist=specialist, email__iexact=email)
        .exclude(pk=exclude.pk)
        .exists()
    )


def check_attempt_rate(*, email, client_ip=None):
    """Counts one attempt to book (or to send a confirmation again) from this
    address and for this email. Raises RateLimited when either is over its
    hourly limit. Without client_ip (a call from code, not from the site) only
    the email counts."""
    waits = [BOOKINGS_PER_EMAIL.hit(email.strip().lower())]
    if client_ip is not None:
        waits.append(BOOKINGS_PER_IP.hit(client_ip))
    if any(waits):
        raise RateLimited(max(waits), str(_TOO_MANY))


def book_consultation(
    *,
    specialist,
    start,
    form_token,
    manage_url,
    client_ip=None,
    booked_by=None,
    now=None,
    site_url="",
    **details,
):
    """Books `start` for the visitor; returns (booking, manage_token).

    manage_url(token) builds the absolute link to the private manage page;
    site_url (scheme and host) makes the specialist's link absolute.
    booked_by is the account the visitor is signed in to, or None.
    Raises RateLimited or SlotTaken. The same form_token twice returns the
    booking made the first time, with no token (a double click), and does not
    count as another attempt.

    No limit here depends on the bookings an address already has. A page that
    refused "you already have a consultation with this specialist" would tell
    anyone who typed someone else's address that this person sought help.
    The address's owner learns it instead, from the confirmation email, and
    can cancel the extra booking from its link. The attempt limits (per
    address and per email, counted the same for everyone) keep the volume down;
    a per-email cap on bookings never stopped a flood anyway, since fresh
    addresses cost nothing.
    """
    now = now or timezone.now()
    existing = Booking.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing, None
    check_attempt_rate(email=details["email"], client_ip=client_ip)
    try:
        if not slots.is_free(schedule_for(specialist, now=now), start, now):
            raise SlotTaken
    except SlotTaken:
        # The same form sent twice at once: the first copy may have just
        # booked this very slot. That is this visitor's booking, not a refusal.
        existing = Booking.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing, None
        raise
    booking = Booking(
        specialist=specialist,
        start=start,
        form_token=form_token,
        booked_by=booked_by,
        consented_at=now,
        **details,
    )
    token = booking.new_manage_token()
    try:
        with transaction.atomic():
            booking.save()
            refresh_free_slots(specialist, now=now)
            emails.send_booking_confirmed(
                booking,
                manage_url(token),
                other_booking=has_other_upcoming(
                    specialist=specialist, email=booking.email, exclude=booking
                ),
                site_url=site_url,
            )
    except IntegrityError:
        existing = Booking.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing, None
        raise SlotTaken from None
    return booking, token


class MovedTooOften(Exception):
    """The booking has been moved MAX_RESCHEDULES times: no more moves."""


def reschedule(*, booking, start, manage_url, client_ip=None, now=None, site_url=""):
    """Moves the booking to another free slot: same booking, same link, same
    calendar UID with a higher SEQUENCE.

    Raises MovedTooOften after MAX_RESCHEDULES moves, RateLimited over the
    daily limit per booking or the hourly one per address (client_ip; a call
    from code passes none), SlotTaken. A move to a taken time is refused
    before it counts, so picking a time someone just took costs nothing."""
    now = now or timezone.now()
    if not booking.is_upcoming:
        raise ValidationError(
            _("This consultation can no longer be changed."), code="past"
        )
    if booking.sequence >= MAX_RESCHEDULES:
        raise MovedTooOften
    if not slots.is_free(schedule_for(booking.specialist, now=now), start, now):
        raise SlotTaken
    waits = [RESCHEDULES_PER_BOOKING.hit(booking.pk)]
    if client_ip is not None:
        waits.append(RESCHEDULES_PER_IP.hit(client_ip))
    if any(waits):
        raise RateLimited(max(waits), str(_MOVED_TOO_OFTEN))
    old_start = booking.start
    booking.start = start
    booking.sequence += 1
    booking.reminder_sent_at = None
    try:
        with transaction.atomic():
            booking.save(
                update_fields=["start", "sequence", "reminder_sent_at", "updated_at"]
            )
            refresh_free_slots(booking.specialist, now=now)
            emails.send_booking_rescheduled(
                booking, manage_url, old_start, site_url=site_url
            )
    except IntegrityError:
        booking.start = old_start
        booking.sequence -= 1
        raise SlotTaken from None
    return booking


@transaction.atomic
def cancel(*, booking, by, reason="", site_url=""):
    """Cancels the booking (frees the slot, stops its reminder) and tells the
    other side. `by` is "visitor" or "specialist"."""
    if not booking.is_upcoming:
        raise ValidationError(
            _("This consultation can no longer be cancelled."), code="past"
        )
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_by = by
    booking.cancel_reason = reason
    booking.sequence += 1
    booking.save(
        update_fields=[
            "status",
            "cancelled_by",
            "cancel_reason",
            "sequence",
            "updated_at",
        ]
    )
    emails.send_booking_cancelled(booking, by=by, site_url=site_url)
    refresh_free_slots(booking.specialist)
    return booking


def update_consultation(*, booking, action, reason=""):
    """The specialist cancels an upcoming consultation ("cancel", the reason
    goes to the visitor) or records how a past one went (completed, no-show)."""
    if action == "cancel":
        return cancel(booking=booking, by="specialist", reason=reason)
    return mark(booking=booking, status=action)


def mark(*, booking, status):
    """The specialist records what happened: completed or no-show."""
    if status not in (Booking.Status.COMPLETED, Booking.Status.NO_SHOW):
        raise ValueError(status)
    if booking.start > timezone.now() or not booking.is_active:
        raise ValidationError(
            _("Only a past consultation can be marked."), code="not_past"
        )
    booking.status = status
    booking.save(update_fields=["status", "updated_at"])
    return booking


CORRECTION_WINDOW = timedelta(minutes=30)


def can_correct_email(booking, *, now=None):
    """Once, within half an hour of booking: a typo fix, not a way to make the
    site email any address again and again."""
    now = now or timezone.now()
    return (
        booking.is_upcoming
        and not booking.email_corrected
        and booking.created_at >= now - CORRECTION_WINDOW
    )


def correct_email(*, booking, email, manage_url, client_ip=None):
    """Fixes a typo in the visitor's address right after booking, and sends
    the confirmation again, to the visitor only, at the right address.
    Counts as a booking attempt for the rate limits. Like booking, it never
    refuses because of the address's other bookings: the page answers the
    same for every address; the email to it says if it has another one."""
    check_attempt_rate(email=email, client_ip=client_ip)
    if not can_correct_email(booking):
        raise ValidationError(
            _(
                "This address can no longer be changed here. Please book again if it was wrong."
            ),
            code="too_late",
        )
    token = booking.new_manage_token()
    with transaction.atomic():
        booking.email = email
        booking.email_corrected = True
        booking.save(
            update_fields=[
                "email",
                "email_corrected",
                "manage_token_hash",
                "updated_at",
            ]
        )
        emails.send_booking_confirmed(
            booking,
            manage_url(token),
            to_specialist=False,
            other_booking=has_other_upcoming(
                specialist=booking.specialist, email=booking.email, exclude=booking
            ),
        )
    return token


def anonymise(booking):
    """Removes everything personal from the booking (name, address, phone,
    wishes, note, reason, private link). The row stays, for anonymous counts.
    The emails about it are the caller's: forget them, or keep them."""
    # Unique columns get fresh random values nobody holds a key to.
    Booking.objects.filter(pk=booking.pk).update(
        name="",
        email="",
        booked_by=None,
        visitor_phone="",
        no_voicemail=False,
        no_further_emails=False,
        only_at_booked_time=False,
        discreet_caller=False,
        contact_preferences="",
        note="",
        cancel_reason="",
        visitor_time_zone="UTC",
        manage_token_hash=Booking.hash_token(secrets.token_urlsafe(32)),
        form_token=uuid.uuid4().hex,
        anonymised_at=timezone.now(),
    )


@transaction.atomic
def forget_visitor(*, user):
    """For a deleted account: every consultation booked while signed in to
    it, or with one of its verified addresses (the same ones "Your data"
    lists), is anonymised; an upcoming one is cancelled first, so that the
    specialist is told and the slot freed. Only verified addresses count:
    anyone can sign up with someone else's address, and must not be able to
    cancel that person's consultations by deleting the account.

    The cancellation emails stay in the outbox for CONSULTATION_RETENTION_DAYS
    like every other (purge_consultations), their body cleared once sent."""
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    )
    matching = Q(booked_by=user)
    for address in addresses:
        matching |= Q(email__iexact=address)
    bookings = Booking.objects.filter(matching, anonymised_at__isnull=True)
    for booking in bookings.select_related("specialist"):
        outbox.forget(about=booking)  # its earlier emails, before the cancel's
        if booking.is_upcoming:
            cancel(booking=booking, by="visitor")
        anonymise(booking)
