"""The one list of time zones people choose from, its validator, and how a
zone is named on a page.

The list comes from the tz database installed with Python (or the tzdata
package), so it changes when that is updated. That is why a model stores the
zone's name with `validate_time_zone` and no `choices`: choices are written
into migrations, and every tzdata update would then ask for a new migration.
Forms take their options from `grouped_choices()` (model forms through
TimeZoneField): a short list of common zones by region, then every zone.
"""

import zoneinfo
from datetime import UTC, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .pagecache import note_variant
from .select import CachedSelect

# "Factory" and "localtime" are not places: no one lives there.
TIME_ZONES = sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})
_KNOWN = frozenset(TIME_ZONES)

# The zones most visitors and specialists live in, under the name of a city
# people know, so that few need to search the full list of ~600 names.
COMMON = [
    (_lazy("Europe"), [
        ("Europe/London", _lazy("London, Dublin, Lisbon")),
        ("Europe/Berlin", _lazy("Berlin, Vienna, Zurich")),
        ("Europe/Paris", _lazy("Paris, Brussels, Amsterdam")),
        ("Europe/Madrid", _lazy("Madrid")),
        ("Europe/Rome", _lazy("Rome")),
        ("Europe/Warsaw", _lazy("Warsaw, Prague, Budapest")),
        ("Europe/Athens", _lazy("Athens, Bucharest, Helsinki")),
        ("Europe/Kyiv", _lazy("Kyiv")),
        ("Europe/Istanbul", _lazy("Istanbul")),
        ("Europe/Moscow", _lazy("Moscow")),
    ]),
    (_lazy("Americas"), [
        ("America/New_York", _lazy("New York, Toronto (Eastern)")),
        ("America/Chicago", _lazy("Chicago (Central)")),
        ("America/Denver", _lazy("Denver (Mountain)")),
        ("America/Los_Angeles", _lazy("Los Angeles, Vancouver (Pacific)")),
        ("America/Mexico_City", _lazy("Mexico City")),
        ("America/Sao_Paulo", _lazy("São Paulo")),
        ("America/Argentina/Buenos_Aires", _lazy("Buenos Aires")),
    ]),
    (_lazy("Asia"), [
        ("Asia/Dubai", _lazy("Dubai")),
        ("Asia/Kolkata", _lazy("India")),
        ("Asia/Shanghai", _lazy("China")),
        ("Asia/Singapore", _lazy("Singapore")),
        ("Asia/Tokyo", _lazy("Tokyo")),
    ]),
    (_lazy("Africa"), [
        ("Africa/Lagos", _lazy("Lagos")),
        ("Africa/Cairo", _lazy("Cairo")),
        ("Africa/Nairobi", _lazy("Nairobi")),
        ("Africa/Johannesburg", _lazy("Johannesburg")),
    ]),
    (_lazy("Oceania"), [
        ("Australia/Sydney", _lazy("Sydney, Melbourne")),
        ("Pacific/Auckland", _lazy("Auckland")),
    ]),
]  # fmt: skip
_FRIENDLY = {zone: label for _region, zones in COMMON for zone, label in zones}


def grouped_choices(*, empty_label=None):
    """Choices for a <select>: the common zones by region, then every zone
    under "All time zones". With empty_label, an empty first option."""
    every = [(zone, zone.replace("_", " ")) for zone in TIME_ZONES]
    choices = [("", empty_label)] if empty_label is not None else []
    return [*choices, *COMMON, (_lazy("All time zones"), every)]


def validate_time_zone(value):
    if value not in _KNOWN:
        raise ValidationError(
            _lazy(
                "“%(value)s” is not a time zone we know. Please choose one from the list."
            ),
            code="unknown_time_zone",
            params={"value": value},
        )


def is_known(value):
    return value in _KNOWN


def utc_offset(zone, at=None):
    """ "UTC+1", "UTC-4", "UTC+5:30": the zone's offset at `at` (now by default)."""
    at = at or datetime.now(UTC)
    minutes = int(at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset().total_seconds())
    minutes //= 60
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def describe(zone, at=None):
    """The zone as a sentence names it: "Berlin time, UTC+1" for
    Europe/Berlin; just "UTC" for UTC."""
    if zone == "UTC":
        return "UTC"
    place = _FRIENDLY.get(zone) or zone.rsplit("/", 1)[-1].replace("_", " ")
    # "London, Dublin, Lisbon time" reads badly: the first place is enough.
    place = str(place).split(",")[0].split(" (")[0]
    return _("%(place)s time, %(offset)s") % {
        "place": place,
        "offset": utc_offset(zone, at),
    }


class TimeZoneField(forms.CharField):
    """The form field for a model field holding a zone's name: a <select> of
    the grouped zones. The model's validate_time_zone refuses anything else,
    so a forged value gets its message."""

    widget = CachedSelect

    def __init__(self, *, empty_label=None, **kwargs):
        super().__init__(**kwargs)
        self.widget.choices = grouped_choices(empty_label=empty_label)

    def widget_attrs(self, widget):
        # Not CharField's: a <select> has no maxlength.
        return forms.Field.widget_attrs(self, widget)


def browser_zone(request):
    """The zone the visitor's browser reported (site.js sets the `tz`
    cookie), or None without JavaScript or for a name we do not know."""
    zone = reported_zone(request)
    # The page now depends on the cookie: a kept copy is kept per zone.
    note_variant(request, "tz", zone)
    return zone or None


def reported_zone(request):
    """browser_zone's answer ("" for none), for the page cache's lookup."""
    zone = request.COOKIES.get("tz", "")
    return zone if is_known(zone) else ""
