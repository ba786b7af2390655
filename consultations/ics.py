"""Calendar files (iCalendar, RFC 5545): a booking's emails, and the
specialist's subscription feed.

One UID for the booking's whole life and a SEQUENCE that grows with every
change, so calendars update (or cancel) the same event instead of adding a
second one. Calendars are often shared or seen by others: the title is a
neutral "Appointment", and neither the visitor's note nor their contact
wishes go in. The specialist's feed reuses each booking's UID and SEQUENCE,
so the event from an email and the one from the feed are the same event.
"""

from datetime import UTC, timedelta

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
    event = _timed_event(booking, dtstamp=timezone.now())
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


def feed_for(bookings, *, show_names, consultations_url):
    """The specialist's subscription feed (bytes): one event per booking, for
    their own calendar. The title is "Free consultation", or the visitor's name
    as they gave it when the specialist chose so; the description says how
    they meet and links to `consultations_url`. Nothing else about the visitor
    goes in: no email address, no note, no contact wishes (the consultations
    page has them, behind a login)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Free consultations"))
    # A hint to apps that honour it (Apple, Outlook): look again hourly.
    calendar.add(
        "refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"}
    )
    calendar.add("x-published-ttl", timedelta(hours=1))
    for booking in bookings:
        # DTSTAMP is when the event last changed, not when the feed was
        # fetched: an unchanged booking reads the same on every fetch.
        event = _timed_event(booking, dtstamp=booking.updated_at)
        event.add("last-modified", booking.updated_at.astimezone(UTC))
        name = single_line(booking.name) if show_names else ""
        event.add("summary", name or _("Free consultation"))
        details = booking.meeting_details()
        if details.location:
            event.add("location", single_line(details.location))
        event.add(
            "description",
            f"{details.for_specialist}\n\n"
            + _("Your consultations: %(url)s") % {"url": consultations_url},
        )
        event.add("url", consultations_url)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()


def _timed_event(booking, *, dtstamp):
    event = Event()
    event.add("uid", uid_for(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", dtstamp.astimezone(UTC))
    event.add("dtstart", booking.start.astimezone(UTC))
    event.add("dtend", (booking.start + SLOT).astimezone(UTC))
    return event


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
