"""The emails of a booking's life: booked, moved, cancelled, reminded.

Their text is in templates/emails/booking_<event>_<visitor|specialist>.txt
and its _subject.txt. Every message goes through the outbox: it is saved in
the caller's transaction and sent once that transaction commits, so a
rolled-back booking sends nothing and a mail server that is down never undoes
a booking.

Mailbox previews and calendars are often seen by others: subjects and
calendar titles say "appointment" and a time, never a topic. Times are given
in the recipient's own time zone, with its UTC offset in the body.

The specialist's emails carry nothing the visitor wrote (their note, their
contact wishes in their own words) and not their address: mailboxes are read
on shared screens and kept for years. They link instead to the specialist's
consultations page, which shows all of it after logging in. `site_url` (the
scheme and host of the request that caused the email) makes that link
absolute; without it (the reminders, sent from cron) there is no link.
"""

from email.utils import formataddr, parseaddr
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from outbox.services import compose, enqueue

from .ics import calendar_for, single_line
from .models import SLOT

ICS_FILENAME = "appointment.ics"


def send_booking_confirmed(
    booking, manage_url, *, to_specialist=True, other_booking=False, site_url=""
):
    """To the visitor (with their private manage link) and to the specialist.
    other_booking: the address has another upcoming consultation with this
    specialist. Only the address itself is told, here, so that it can cancel
    one; the booking page says nothing of it to whoever typed the address."""
    _send(
        booking,
        "booking_confirmed",
        to_visitor=True,
        manage_url=manage_url,
        other_booking=other_booking,
    )
    if to_specialist:
        _send(booking, "booking_confirmed", to_visitor=False, site_url=site_url)


def send_booking_rescheduled(booking, manage_url, old_start, *, site_url=""):
    """To both sides: the booking moved from `old_start` to booking.start.
    The calendar file updates the same event (same UID, higher SEQUENCE)."""
    for to_visitor in (True, False):
        _send(
            booking,
            "booking_rescheduled",
            to_visitor=to_visitor,
            manage_url=manage_url if to_visitor else "",
            old_when=_long(booking, old_start, to_visitor=to_visitor),
            site_url=site_url,
        )


def send_booking_cancelled(booking, *, by, site_url=""):
    """Each with a calendar file that removes the event. The visitor always
    hears: a confirmation of their own cancellation, or the reason given. The
    specialist hears unless they cancelled it themselves."""
    if by != "specialist":
        _send(
            booking,
            "booking_cancelled",
            to_visitor=False,
            method="CANCEL",
            site_url=site_url,
        )
    _send(
        booking,
        "booking_cancelled",
        to_visitor=True,
        method="CANCEL",
        by_visitor=by == "visitor",
    )


def send_booking_reminder(booking, manage_url):
    """To both sides, the day before. `manage_url` may be None (the visitor's
    email then has no link). A visitor who asked for no email after the
    confirmation gets none; the specialist still does."""
    if not booking.no_further_emails:
        _send(booking, "booking_reminder", to_visitor=True, manage_url=manage_url)
    _send(booking, "booking_reminder", to_visitor=False)


def _send(booking, name, *, to_visitor, method="REQUEST", site_url="", **extra):
    """Renders emails/<name>_visitor.txt or emails/<name>_specialist.txt (and
    their subjects) and queues it, with the calendar file attached."""
    specialist = booking.specialist
    details = booking.meeting_details()
    context = {
        "specialist": specialist.display_name,
        # How they meet: the same wording as the pages and the calendar file.
        "meeting": details.for_visitor if to_visitor else details.for_specialist,
        "name": single_line(booking.name),
        "when": _long(booking, booking.start, to_visitor=to_visitor),
        "when_short": _short(booking, booking.start, to_visitor=to_visitor),
        "format": booking.get_preferred_format_display(),
        "reason": booking.cancel_reason,
        "ics_file": ICS_FILENAME,
        **extra,
    }
    if to_visitor:
        recipient = _mailbox(booking.name, booking.email)
    else:
        recipient = _mailbox(specialist.display_name, specialist.user.email)
        # What the specialist needs to prepare; the visitor's email has none
        # of it. Only the wishes ticked on the form: the visitor's own words
        # wait on the consultations page with their note.
        context |= {
            "contact_wishes": [
                str(booking._meta.get_field(field).verbose_name)
                for field in booking.SAFE_CONTACT_FIELDS
                if getattr(booking, field)
            ],
            "their_time_zone": booking.visitor_time_zone
            if booking.visitor_time_zone != specialist.time_zone
            else "",
            "link": _consultations_link(booking, site_url),
        }
    from_email = settings.DEFAULT_FROM_EMAIL
    ics = calendar_for(
        booking,
        method=method,
        organizer_email=parseaddr(from_email)[1],
        attendee_email=booking.email,
    )
    message = compose(
        f"{name}_{'visitor' if to_visitor else 'specialist'}",
        context,
        to=[recipient],
        from_email=from_email,
        attachments=[(ICS_FILENAME, ics.decode(), f"text/calendar; method={method}")],
    )
    enqueue(message, about=booking)


def _consultations_link(booking, site_url):
    """The specialist's consultations page, at this booking's entry unless it
    was cancelled (the page lists no cancelled upcoming one); "" without a
    site_url."""
    if not site_url:
        return ""
    link = site_url + reverse("consultations:specialist_consultations")
    if booking.is_active:
        link += f"#booking-{booking.pk}"
    return link


def _mailbox(name, email):
    """ "Name <address>", with a name that cannot start a new header line."""
    return formataddr((single_line(name), email))


# Times, in the recipient's time zone


def _zone_name(booking, to_visitor):
    name = booking.visitor_time_zone if to_visitor else booking.specialist.time_zone
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def _short(booking, moment, *, to_visitor=True):
    """Tuesday 24 March at 14:00 (Europe/Berlin)"""
    zone = _zone_name(booking, to_visitor)
    local = moment.astimezone(ZoneInfo(zone))
    return _("%(date)s at %(time)s (%(zone)s)") % {
        "date": date_format(local, "l j F"),
        "time": date_format(local, "H:i"),
        "zone": zone,
    }


def _long(booking, moment, *, to_visitor=True):
    """Tuesday 24 March 2026, 14:00–14:30 (Europe/Berlin, UTC+01:00)"""
    zone = _zone_name(booking, to_visitor)
    local = moment.astimezone(ZoneInfo(zone))
    end = (moment + SLOT).astimezone(ZoneInfo(zone))
    return _("%(date)s, %(start)s–%(end)s (%(zone)s, %(offset)s)") % {
        "date": date_format(local, "l j F Y"),
        "start": date_format(local, "H:i"),
        "end": date_format(end, "H:i"),
        "zone": zone,
        "offset": _utc_offset(local),
    }


def _utc_offset(local):
    minutes = int(local.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"
