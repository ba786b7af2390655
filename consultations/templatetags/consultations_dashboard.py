"""What the specialist's dashboard shows of their consultations and hours.

The dashboard belongs to `specialists`, which must not import this app (it
builds on specialists): its template loads these tags instead, as articles'
pages load the specialists' tags. Each tag costs a fixed number of queries,
however many bookings or hours there are.
"""

from itertools import groupby

from django import template
from django.utils.dates import WEEKDAYS_ABBR

from consultations.models import Availability, Booking

register = template.Library()


@register.inclusion_tag("consultations/_dashboard_upcoming.html")
def upcoming_consultations(specialist, limit=3):
    """The next `limit` active consultations and how many are ahead: two
    queries (the index on status and start serves both)."""
    upcoming = Booking.objects.upcoming().filter(specialist=specialist)
    return {
        "count": upcoming.count(),
        "bookings": upcoming.only("start", "preferred_format")[:limit],
        "time_zone": specialist.time_zone,
    }


def summarise_windows(windows):
    """Weekly windows, in their model's order (weekday, then start), as one
    entry per day:
    [("Mon", "09:00–12:00, 14:00–17:00"), ("Tue", …)]."""
    return [
        (
            WEEKDAYS_ABBR[weekday],
            ", ".join(f"{w.start:%H:%M}–{w.end:%H:%M}" for w in day_windows),
        )
        for weekday, day_windows in groupby(windows, key=lambda w: w.weekday)
    ]


@register.inclusion_tag("consultations/_dashboard_hours.html")
def weekly_hours_summary(specialist):
    """The weekly hours, notice and horizon in a few words: two queries."""
    availability = (
        Availability.objects.filter(specialist=specialist)
        .prefetch_related("windows")
        .first()
    )
    windows = list(availability.windows.all()) if availability else []
    return {
        "availability": availability,
        "days": summarise_windows(windows),
        "time_zone": specialist.time_zone,
    }
