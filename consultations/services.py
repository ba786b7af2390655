"""Booking, rescheduling and cancelling free consultations.

No double booking, ever: the database's conditional unique constraint on
(specialist, start) for every booking that holds its time is the guard. The
slot is checked before the insert only to give a helpful answer; two
visitors racing for one slot both pass that check, and the constraint lets
exactly one of them in (IntegrityError -> SlotTaken for the other).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import emails, slots
from .models import SLOT, Availability, Booking

MAX_UPCOMING_PER_EMAIL = 3


class SlotTaken(Exception):
    """The time was taken a moment ago (or is no longer offered)."""


def schedule_for(specialist, *, now=None):
    """The specialist's slots-to-be: their hours, dates off and taken times."""
    now = now or timezone.now()
    availability, _created = Availability.objects.get_or_create(specialist=specialist)
    horizon = timedelta(days=availability.horizon_days)
    taken = Booking.objects.active().filter(
        specialist=specialist, start__gte=now, start__lte=now + horizon + SLOT
    )
    return slots.Schedule(
        time_zone=specialist.time_zone,
        windows=[
            slots.Window(w.weekday, w.start, w.end) for w in availability.windows.all()
        ],
        dates_off={d.date for d in availability.dates_off.all()},
        taken=set(taken.values_list("start", flat=True)),
        minimum_notice=timedelta(hours=availability.minimum_notice_hours),
        horizon=horizon,
    )


def free_slots(specialist, *, now=None):
    now = now or timezone.now()
    return slots.free_slots(schedule_for(specialist, now=now), now)


def check_limits(*, specialist, email, exclude=None):
    """At most one upcoming free consultation per email with a specialist,
    and three in all."""
    upcoming = Booking.objects.upcoming().filter(email__iexact=email)
    if exclude is not None:
        upcoming = upcoming.exclude(pk=exclude.pk)
    if upcoming.filter(specialist=specialist).exists():
        raise ValidationError(
            _(
                "You already have an upcoming free consultation with this specialist. "
                "You can change its time from the link in your confirmation email."
            ),
            code="one_per_specialist",
        )
    if upcoming.count() >= MAX_UPCOMING_PER_EMAIL:
        raise ValidationError(
            _(
                "You already have %(count)d upcoming free consultations. Please wait "
                "until one has taken place, or cancel one, before booking another."
            ),
            code="too_many",
            params={"count": MAX_UPCOMING_PER_EMAIL},
        )


def book_consultation(
    *, specialist, start, form_token, manage_url, now=None, **details
):
    """Books `start` for the visitor; returns (booking, manage_token).

    manage_url(token) builds the absolute link to the private manage page.
    Raises SlotTaken or ValidationError (limits). The same form_token twice
    returns the booking made the first time, with no token (a double click).
    """
    now = now or timezone.now()
    existing = Booking.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing, None
    try:
        if not slots.is_free(schedule_for(specialist, now=now), start, now):
            raise SlotTaken
        check_limits(specialist=specialist, email=details["email"])
    except (SlotTaken, ValidationError):
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
        consented_at=now,
        **details,
    )
    token = booking.new_manage_token()
    try:
        with transaction.atomic():
            booking.save()
            emails.send_booking_confirmed(booking, manage_url(token))
    except IntegrityError:
        existing = Booking.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing, None
        raise SlotTaken from None
    return booking, token


def reschedule(*, booking, start, manage_url, now=None):
    """Moves the booking to another free slot: same booking, same link, same
    calendar UID with a higher SEQUENCE."""
    now = now or timezone.now()
    if not booking.is_upcoming:
        raise ValidationError(
            _("This consultation can no longer be changed."), code="past"
        )
    if not slots.is_free(schedule_for(booking.specialist, now=now), start, now):
        raise SlotTaken
    old_start = booking.start
    booking.start = start
    booking.sequence += 1
    booking.reminder_sent_at = None
    try:
        with transaction.atomic():
            booking.save(
                update_fields=["start", "sequence", "reminder_sent_at", "updated_at"]
            )
            emails.send_booking_rescheduled(booking, manage_url, old_start)
    except IntegrityError:
        booking.start = old_start
        booking.sequence -= 1
        raise SlotTaken from None
    return booking


@transaction.atomic
def cancel(*, booking, by, reason=""):
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
    emails.send_booking_cancelled(booking, by=by)
    return booking


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


def correct_email(*, booking, email, manage_url):
    """Fixes a typo in the visitor's address right after booking, and sends
    the confirmation again, to the visitor only, at the right address."""
    if not can_correct_email(booking):
        raise ValidationError(
            _(
                "This address can no longer be changed here. Please book again if it was wrong."
            ),
            code="too_late",
        )
    check_limits(specialist=booking.specialist, email=email, exclude=booking)
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
        emails.send_booking_confirmed(booking, manage_url(token), to_specialist=False)
    return token
