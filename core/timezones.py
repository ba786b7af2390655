"""The one list of time zones people choose from, and its validator.

The list comes from the tz database installed with Python (or the tzdata
package), so it changes when that is updated. That is why a model stores the
zone's name with `validate_time_zone` and no `choices`: choices are written
into migrations, and every tzdata update would then ask for a new migration.
Forms take their options from TIME_ZONES (model forms through TimeZoneField).
"""

import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# "Factory" and "localtime" are not places: no one lives there.
TIME_ZONES = sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})
_KNOWN = frozenset(TIME_ZONES)


def validate_time_zone(value):
    if value not in _KNOWN:
        raise ValidationError(
            _(
                "“%(value)s” is not a time zone we know. Please choose one from the list."
            ),
            code="unknown_time_zone",
            params={"value": value},
        )


class TimeZoneField(forms.CharField):
    """The form field for a model field holding a zone's name: a <select> of
    TIME_ZONES. The model's validate_time_zone refuses anything else, so a
    forged value gets its message."""

    widget = forms.Select

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.choices = [(zone, zone) for zone in TIME_ZONES]

    def widget_attrs(self, widget):
        # Not CharField's: a <select> has no maxlength.
        return forms.Field.widget_attrs(self, widget)
