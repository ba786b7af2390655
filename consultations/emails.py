"""The emails of a booking's life: booked, moved, cancelled, reminded.

Every message goes through the outbox: it is saved in the caller's
transaction and sent once that transaction commits, so a rolled-back booking
sends nothing and a mail server that is down never undoes a booking.

Mailbox previews and calendars are often seen by others: subjects and
calendar titles say "appointment" and a time, never a topic. Times are given
in the recipient's own time zone, with its UTC offset in the body.
"""

from email.utils import formataddr, parseaddr
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from outbox.services import enqueue

from .ics import calendar_for, single_line
from .models import SLOT

ICS_FILENAME = "appointment.ics"


def send_booking_confirmed(booking, manage_url, *, to_specialist=True):
    """To the visitor (with their private manage link) and to the specialist."""
    start = booking.start
    _send(
        booking,
        to_visitor=True,
        subject=_("Your appointment on %(when)s") % {"when": _short(booking, start)},
        body=_visitor_text(
            _("Hello %(name)s,") % {"name": single_line(booking.name)},
            _("Your free 30-minute first consultation is booked."),
            _details_for_visitor(booking),
            _manage_paragraph(manage_url),
            _calendar_paragraph(),
        ),
    )
    if not to_specialist:
        return
    _send(
        booking,
        to_visitor=False,
        subject=_("New appointment on %(when)s")
        % {"when": _short(booking, start, to_visitor=False)},
        body=_specialist_text(
            booking,
            _("A visitor booked a free 30-minute first consultation with you."),
            _details_for_specialist(booking),
            _calendar_paragraph(),
        ),
    )


def send_booking_rescheduled(booking, manage_url, old_start):
    """To both sides: the booking moved from `old_start` to booking.start.
    The calendar file updates the same event (same UID, higher SEQUENCE)."""
    _send(
        booking,
        to_visitor=True,
        subject=_("New time for your appointment: %(when)s")
        % {"when": _short(booking, booking.start)},
        body=_visitor_text(
            _("Hello %(name)s,") % {"name": single_line(booking.name)},
            _("Your free first consultation has a new time.")
            + "\n\n"
            + _("Before: %(when)s") % {"when": _long(booking, old_start)},
            _details_for_visitor(booking),
            _manage_paragraph(manage_url),
            _calendar_paragraph(),
        ),
    )
    _send(
        booking,
        to_visitor=False,
        subject=_("Appointment moved to %(when)s")
        % {"when": _short(booking, booking.start, to_visitor=False)},
        body=_specialist_text(
            booking,
            _("A visitor moved their free first consultation with you.")
            + "\n\n"
            + _("Before: %(when)s")
            % {"when": _long(booking, old_start, to_visitor=False)},
            _details_for_specialist(booking),
            _calendar_paragraph(),
        ),
    )


def send_booking_cancelled(booking, *, by):
    """Tells the other side: by="visitor" emails the specialist,
    by="specialist" emails the visitor (with the reason). Anyone else (staff)
    emails both. The calendar file removes the event."""
    if by != "specialist":
        reason = (
            _("Their reason: %(reason)s") % {"reason": booking.cancel_reason}
            if booking.cancel_reason
            else ""
        )
        _send(
            booking,
            to_visitor=False,
            method="CANCEL",
            subject=_("Appointment on %(when)s cancelled")
            % {"when": _short(booking, booking.start, to_visitor=False)},
            body=_specialist_text(
                booking,
                _(
                    "This free first consultation was cancelled; the time is free again."
                ),
                _("When: %(when)s")
                % {"when": _long(booking, booking.start, to_visitor=False)}
                + "\n"
                + _("Name: %(name)s") % {"name": single_line(booking.name)},
                reason,
                _cancel_calendar_paragraph(),
            ),
        )
    if by != "visitor":
        reason = (
            _("The reason given: %(reason)s") % {"reason": booking.cancel_reason}
            if booking.cancel_reason
            else ""
        )
        _send(
            booking,
            to_visitor=True,
            method="CANCEL",
            subject=_("Your appointment on %(when)s is cancelled")
            % {"when": _short(booking, booking.start)},
            body=_visitor_text(
                _("Hello %(name)s,") % {"name": single_line(booking.name)},
                _(
                    "We are sorry: your free first consultation with %(specialist)s "
                    "on %(when)s had to be cancelled."
                )
                % {
                    "specialist": booking.specialist.display_name,
                    "when": _long(booking, booking.start),
                },
                reason,
                _(
                    "You are welcome to book another time, with this specialist or "
                    "another one."
                ),
                _cancel_calendar_paragraph(),
            ),
        )


def send_booking_reminder(booking, manage_url):
    """To both sides, the day before. `manage_url` may be None (the visitor's
    email then has no link)."""
    _send(
        booking,
        to_visitor=True,
        subject=_("Reminder: your appointment on %(when)s")
        % {"when": _short(booking, booking.start)},
        body=_visitor_text(
            _("Hello %(name)s,") % {"name": single_line(booking.name)},
            _("A reminder of your free first consultation."),
            _details_for_visitor(booking),
            _manage_paragraph(manage_url) if manage_url else "",
            _calendar_paragraph(),
        ),
    )
    _send(
        booking,
        to_visitor=False,
        subject=_("Reminder: appointment on %(when)s")
        % {"when": _short(booking, booking.start, to_visitor=False)},
        body=_specialist_text(
            booking,
            _("A reminder of this free first consultation."),
            _details_for_specialist(booking),
            _calendar_paragraph(),
        ),
    )


# Building blocks


def _send(booking, *, to_visitor, subject, body, method="REQUEST"):
    if to_visitor:
        recipient = _mailbox(booking.name, booking.email)
    else:
        specialist = booking.specialist
        recipient = _mailbox(specialist.display_name, specialist.user.email)
    from_email = settings.DEFAULT_FROM_EMAIL
    ics = calendar_for(
        booking,
        method=method,
        organizer_email=parseaddr(from_email)[1],
        attendee_email=booking.email,
    )
    message = EmailMessage(
        subject=single_line(subject), body=body, from_email=from_email, to=[recipient]
    )
    message.attach(ICS_FILENAME, ics.decode(), f"text/calendar; method={method}")
    enqueue(message)


def _mailbox(name, email):
    """ "Name <address>", with a name that cannot start a new header line."""
    return formataddr((single_line(name), email))


def _visitor_text(*paragraphs):
    return _join(*paragraphs, _("Kind regards"))


def _specialist_text(booking, *paragraphs):
    greeting = _("Hello %(name)s,") % {"name": booking.specialist.display_name}
    return _join(greeting, *paragraphs)


def _join(*paragraphs):
    return "\n\n".join(p for p in paragraphs if p) + "\n"


def _details_for_visitor(booking):
    return "\n".join(
        [
            _("When: %(when)s") % {"when": _long(booking, booking.start)},
            _("With: %(specialist)s") % {"specialist": booking.specialist.display_name},
            _("Format: %(format)s")
            % {"format": booking.get_preferred_format_display()},
        ]
    )


def _details_for_specialist(booking):
    lines = [
        _("When: %(when)s") % {"when": _long(booking, booking.start, to_visitor=False)},
        _("Name: %(name)s") % {"name": single_line(booking.name)},
        _("Email: %(email)s") % {"email": booking.email},
        _("Preferred format: %(format)s")
        % {"format": booking.get_preferred_format_display()},
    ]
    if booking.contact_preferences:
        lines.append(
            _("How and when they may be contacted: %(preferences)s")
            % {"preferences": booking.contact_preferences}
        )
    if booking.visitor_time_zone != booking.specialist.time_zone:
        lines.append(
            _("Their time zone: %(zone)s") % {"zone": booking.visitor_time_zone}
        )
    text = "\n".join(lines)
    if booking.note:
        text += "\n\n" + _("Their note:") + "\n" + booking.note
    return text


def _manage_paragraph(manage_url):
    return (
        _(
            "To see your appointment, add it to your calendar (.ics), cancel it or "
            "pick another time, open your private link:"
        )
        + "\n"
        + manage_url
        + "\n\n"
        + _(
            "Anyone with this link can change your appointment: please don't "
            "forward this email."
        )
    )


def _calendar_paragraph():
    return _("The attached file %(file)s adds the appointment to your calendar.") % {
        "file": ICS_FILENAME
    }


def _cancel_calendar_paragraph():
    return _("The attached file %(file)s removes it from your calendar.") % {
        "file": ICS_FILENAME
    }


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
