"""Times shown in the reader's own zone, with the zone named.

The zone is the one the reader's browser reported (site.js sets the `tz`
cookie); without JavaScript it is UTC, and the page says so.
"""

from zoneinfo import ZoneInfo

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html

from core.timezones import browser_zone, describe

register = template.Library()


@register.simple_tag(takes_context=True)
def reader_time(context, moment):
    """<time datetime="…">1 December 2026, 14:05 (Berlin time, UTC+1)</time>"""
    request = context.get("request")
    zone = (browser_zone(request) if request is not None else None) or "UTC"
    local = moment.astimezone(ZoneInfo(zone))
    return format_html(
        '<time datetime="{}">{} ({})</time>',
        moment.isoformat(),
        date_format(local, "j F Y, H:i"),
        describe(zone, moment),
    )
