"""Calendar files (iCalendar, RFC 5545) for a booking's emails.

One UID for the booking's whole life and a SEQUENCE that grows with every
change, so calendars update (or cancel) the same event instead of adding a
second one. Calendars are often shared or seen by others: the title is a
neutral "Appointment", and neither the visitor's note nor their contact
wishes go in.
"""

from datetime import UTC

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from .models import SLOT

PRODID = "-//Appointments//Booking//EN"
METHODS = ("REQUEST", "CANCEL", "PUBLISH")


def calendar_for(booking, *, method="REQUEST", organizer_email, attendee_email):
    """The booking as a one-event VCALENDAR (bytes). METHOD:REQUEST (emails)
    adds or updates the event, METHOD:CANCEL removes it; METHOD:PUBLISH is a
    plain download of the booking as it stands."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    cancelled = method == "CANCEL" or (
        method == "PUBLISH" and booking.status == booking.Status.CANCELLED
    )
    event = Event()
    event.add("uid", uid_for(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", booking.start.astimezone(UTC))
    event.add("dtend", (booking.start + SLOT).astimezone(UTC))
    event.add("summary", _("Appointment"))
    # How to meet (the link, the address, who calls): the booked visitor's
    # and the specialist's own calendars are where it is needed at the time.
    details = booking.meeting_details()
    if details.location:
        event.add("location", single_line(details.location))
    event.add("description", details.for_visitor)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(organizer_email, booking.specialist.display_name))
    attendee = _address(attendee_email, booking.name)
    # The visitor booked it: nothing to accept, so no RSVP prompt either.
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["PARTSTAT"] = "ACCEPTED"
    attendee.params["RSVP"] = "FALSE"
    event.add("attendee", attendee)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(event)
    return calendar.to_ical()


def uid_for(booking):
    return f"{booking.uid}@{_uid_host()}"


def _uid_host():
    """The site's first configured host name: it must not change over a
    booking's life, or calendars see a new event."""
    for host in settings.ALLOWED_HOSTS:
        host = host.lstrip(".")
        if host and "*" not in host:
            return host
    return "appointments"


def _address(email, name):
    address = vCalAddress(f"mailto:{email}")
    name = single_line(name)
    if name:
        address.params["CN"] = name
    return address


def single_line(text):
    """Text safe for a header or a calendar parameter: no CR, LF or other
    line breaks, no control characters."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())
