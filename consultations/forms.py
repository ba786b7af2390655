import re
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.fields import PlainTextField
from core.select import CachedSelect
from core.timezones import grouped_choices

from . import slots
from .models import Availability, Booking, CalendarFeed, WeeklyWindow


def parse_slot(value):
    """An ISO 8601 UTC instant from the slot picker; None if it is not one."""
    try:
        start = datetime.fromisoformat(value)
        if start.tzinfo is None or not 2000 <= start.year <= 2100:
            return None
        return start.astimezone(UTC)
    except (TypeError, ValueError, OverflowError):
        return None


class SlotField(forms.CharField):
    """A slot from the picker, as an aware UTC datetime. Whether it is still
    free is the booking service's question, not the form's."""

    widget = forms.HiddenInput
    default_error_messages = {"bad_slot": _("Please choose a time from the list.")}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        start = parse_slot(value)
        if start is None:
            raise forms.ValidationError(
                self.error_messages["bad_slot"], code="bad_slot"
            )
        return start


class SlotChoiceForm(forms.Form):
    """The slot chosen in the picker (a link's ?slot=, or the details form)."""

    slot = SlotField()


class RescheduleForm(forms.Form):
    slot = SlotField()


class TimeZoneForm(forms.Form):
    """The visitor's time zone: detected in the browser, chosen by hand without
    JavaScript. Invalid input falls back to `default` (the specialist's zone),
    never to an error page."""

    tz = forms.ChoiceField(
        label=_("Show times in"), choices=grouped_choices, widget=CachedSelect
    )

    def time_zone(self, default="UTC"):
        return self.cleaned_data["tz"] if self.is_valid() else default


class BookingForm(forms.ModelForm):
    slot = SlotField()
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my name, email and note are shared with this specialist."),
        error_messages={"required": _("Please agree to the privacy notice to book.")},
    )  # fmt: skip
    # Bots fill every field; people never see this one (hidden by CSS).
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = Booking
        fields = [
            "name",
            "email",
            "preferred_format",
            "visitor_phone",
            *Booking.SAFE_CONTACT_FIELDS,
            "contact_preferences",
            "note",
        ]
        field_classes = {"note": PlainTextField}
        labels = {
            "name": _("Your name (a first name or an alias is enough)"),
            "visitor_phone": _("Your phone number (only if you chose phone)"),
        }
        help_texts = {
            "visitor_phone": _("The specialist calls you on it at the booked time. Only they can see it."),
            "contact_preferences": _("For example: safe times to call, or a name to ask for."),
            "note": _("Optional, up to 1,000 characters. Only this specialist and our staff can read it."),
        }  # fmt: skip
        widgets = {
            "note": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
            "preferred_format": forms.RadioSelect,
            "visitor_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "maxlength": 40}),
        }  # fmt: skip

    def __init__(self, *args, specialist, **kwargs):
        super().__init__(*args, **kwargs)
        offered = specialist.meeting_formats()
        self.fields["preferred_format"].choices = [
            choice for choice in Booking.Format.choices if choice[0] in offered
        ]
        if len(offered) == 1:
            self.fields["preferred_format"].initial = offered[0]
        # Asked only when the specialist calls the visitor; without
        # JavaScript the field is always there, its label says when it counts.
        self.asks_phone = specialist.visitor_gives_phone
        if not self.asks_phone:
            del self.fields["visitor_phone"]
        self.fields["website"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1", "class": "hp-input"}
        )

    def field_groups(self):
        """The visible fields in the page's order: the nearest free times when
        the chosen one was taken (see offer_slots), how to meet, then the
        visitor's contact wishes (one fieldset), then the rest."""
        contact = [*Booking.SAFE_CONTACT_FIELDS, "contact_preferences"]
        visible = self.visible_fields()
        return [
            ("", [f for f in visible if f.name in ("slot", "name", "email", "preferred_format", "visitor_phone")]),
            (_("How you may be contacted"), [f for f in visible if f.name in contact]),
            ("", [f for f in visible if f.name in ("note", "consent", "website")]),
        ]  # fmt: skip

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(
                _("Please leave this field empty."), code="honeypot"
            )
        return ""

    def clean_name(self):
        # A name goes into email headers and calendar files: one line only.
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        cleaned = super().clean()
        if not self.asks_phone:
            return cleaned
        if cleaned.get("preferred_format") != Booking.Format.PHONE:
            # Typed, then another format chosen: not kept, not needed.
            cleaned["visitor_phone"] = ""
        elif not cleaned.get("visitor_phone") and "visitor_phone" not in self.errors:
            self.add_error(
                "visitor_phone",
                _("The specialist calls you: please give the number to call."),
            )
        return cleaned

    def offer_slots(self, starts, *, time_zone, error):
        """The chosen slot was taken: offer `starts` (UTC) instead, as radio
        buttons labelled in the visitor's zone, with `error` on them. The rest
        of the form keeps what was typed."""
        if not starts:  # no free time left at all: the message says so
            self.add_error(None, error)
            return
        zone = ZoneInfo(time_zone)
        choices = [
            (start.isoformat(), date_format(start.astimezone(zone), "l j F, H:i"))
            for start in starts
        ]
        self.fields["slot"] = forms.ChoiceField(
            label=_("The nearest free times"),
            choices=choices,
            widget=forms.RadioSelect,
        )
        self._bound_fields_cache.pop("slot", None)  # rendered as the new field
        self.order_fields(["slot"])
        self.add_error("slot", error)

    def booking_fields(self):
        """The slot, the form's token and the visitor's details, named as
        services.book_consultation takes them."""
        data = self.cleaned_data
        fields = {field: data.get(field, "") for field in self.Meta.fields}
        return {"start": data["slot"], "form_token": data["token"], **fields}


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class EmailCorrectionForm(forms.Form):
    email = forms.EmailField(label=_("Correct email address"))


class AvailabilityForm(forms.ModelForm):
    offers_free_consultation = forms.BooleanField(
        label=_("Offer free 30-minute consultations"), required=False
    )

    class Meta:
        model = Availability
        fields = ["minimum_notice_hours", "horizon_days"]

    def __init__(self, *args, specialist, **kwargs):
        super().__init__(*args, **kwargs)
        self.specialist = specialist

    def clean_offers_free_consultation(self):
        offers = self.cleaned_data["offers_free_consultation"]
        if offers and not self.specialist.meeting_formats():
            raise forms.ValidationError(
                _(
                    "Visitors need a way to meet you first: on your profile, choose "
                    "video, phone or in person and give its details."
                ),
                code="no_format",
            )
        return offers


MIDNIGHT = time(0)
DAY_MINUTES = 24 * 60
MAX_RANGES_PER_DAY = 6
MAX_DATES_OFF = 20
MAX_DAYS_OFF = 365
# Rows read from one post, per list: a page with more was not sent by a person.
MAX_ROWS = 40


def minutes(value, *, end=False):
    """Minutes since the day began; as an end, 00:00 is the day's last minute."""
    total = value.hour * 60 + value.minute
    return DAY_MINUTES if end and total == 0 else total


def hhmm(total):
    return f"{total // 60:02d}:{total % 60:02d}"


class HalfHourField(forms.TimeField):
    """A time on the hour or half hour. As an end (end_of_day=True), 00:00 is
    midnight at the end of the day: the browser's time picker cannot enter
    24:00, which is accepted too when typed, and stored as 00:00."""

    default_error_messages = {
        "invalid": _("Enter a time from 00:00 to 24:00, such as 09:00 or 17:30."),
        "off_grid": _("Use a time on the hour or half hour, such as 09:00 or 09:30."),
    }

    def __init__(self, *, end_of_day=False, **kwargs):
        self.end_of_day = end_of_day
        kwargs.setdefault(
            "widget",
            forms.TimeInput(format="%H:%M", attrs={"type": "time", "step": 1800}),
        )
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        if self.end_of_day and str(value).strip() in ("24:00", "24:00:00"):
            return MIDNIGHT
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value is not None and (
            value.minute % 30 or value.second or value.microsecond
        ):
            raise forms.ValidationError(
                self.error_messages["off_grid"], code="off_grid"
            )


class HoursRangeForm(forms.Form):
    """One range of weekly hours. Both times empty: no range (how one is removed)."""

    start = HalfHourField(label=_("From"))
    end = HalfHourField(label=_("Until"), end_of_day=True)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if "start" in self._errors or "end" in self._errors:
            return cleaned
        if start is None and end is not None:
            self.add_error("start", _("Give a start time too, or clear both times to remove this range."))  # fmt: skip
        elif end is None and start is not None:
            self.add_error("end", _("Give an end time too, or clear both times to remove this range."))  # fmt: skip
        elif start is not None and minutes(end, end=True) <= minutes(start):
            self.add_error("end", _("The end must be after the start. For midnight at the end of the day, enter 00:00."))  # fmt: skip
        return cleaned

    def span(self):
        """(start, end) in minutes; None for an empty or refused row."""
        data = getattr(self, "cleaned_data", {})
        if self._errors or data.get("start") is None:
            return None
        return minutes(data["start"]), minutes(data["end"], end=True)

    @staticmethod
    def describe(span):
        return f"{hhmm(span[0])}–{hhmm(span[1])}"


class DateOffRangeForm(forms.Form):
    """Days off from `start` to `end`; without an end, the one day."""

    start = forms.DateField(
        label=_("First day off"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Last day off"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if "start" in self._errors or "end" in self._errors:
            return cleaned
        if start is None:
            if end is not None:
                self.add_error("start", _("Give the first day off too, or clear both dates to remove these days."))  # fmt: skip
            return cleaned
        if end is None:
            cleaned["end"] = end = start
        if end < start:
            self.add_error("end", _("The last day off cannot be before the first."))
        elif (end - start).days >= MAX_DAYS_OFF:
            self.add_error("end", _("Days off can last at most %(days)d days in one go.") % {"days": MAX_DAYS_OFF})  # fmt: skip
        return cleaned

    def span(self):
        data = getattr(self, "cleaned_data", {})
        if self._errors or data.get("start") is None:
            return None
        return data["start"], data["end"]

    @staticmethod
    def describe(span):
        start, end = (date_format(day, "j M Y") for day in span)
        return start if span[0] == span[1] else f"{start}–{end}"


def posted_rows(data, prefix):
    """The row numbers posted under `prefix` (e.g. "hours-2"), in order. Rows
    are numbered as posted, not counted: the page's script adds rows without
    a reload, so there is no total to keep in step."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d{{1,3}})-(?:start|end)$")
    found = {int(match[1]) for key in data if (match := pattern.match(key))}
    return sorted(found)[:MAX_ROWS]


def posted_values(data, prefix):
    """What was typed in each row under `prefix`, as it was typed."""
    return [
        {"start": data.get(f"{prefix}-{n}-start", ""), "end": data.get(f"{prefix}-{n}-end", "")}
        for n in posted_rows(data, prefix)
    ]  # fmt: skip


def check_ranges(rows, *, limit, too_many, inclusive):
    """Refuses, next to the range that causes it, each range over `limit` and
    each one that overlaps an earlier one in the list. Inclusive ranges (days
    off) overlap when they share a day; hours may touch (09–12, 12–14)."""
    filled = [(row.span(), row) for row in rows if row.span()]
    for _span, row in filled[limit:]:
        row.add_error("start", too_many)
    reach = None  # the range reaching furthest so far, in start order
    for span, row in sorted(filled, key=lambda pair: pair[0]):
        if reach and (span[0] <= reach[1] if inclusive else span[0] < reach[1]):
            row.add_error("start", _("This overlaps %(range)s.") % {"range": row.describe(reach)})  # fmt: skip
        if reach is None or span[1] > reach[1]:
            reach = span


class RangeList:
    """Rows of one form class, prefixed `<prefix>-<n>`, bound to a post or
    showing `initial` (a dict of values per row; always one empty row more
    when there is room)."""

    form_class = HoursRangeForm
    limit = MAX_RANGES_PER_DAY

    def __init__(self, data=None, *, prefix, name, initial=(), empty_row=True):
        self.prefix, self.name = prefix, name
        if data is not None:
            numbers = posted_rows(data, prefix)
            self.rows = [self.form_class(data, prefix=f"{prefix}-{n}") for n in numbers]
        else:
            initial = list(initial)
            if empty_row and len(initial) < self.limit:
                initial.append({})
            self.rows = [
                self.form_class(initial=values, prefix=f"{prefix}-{n}")
                for n, values in enumerate(initial)
            ]
            numbers = range(len(initial))
        self.next_number = max(numbers, default=-1) + 1
        for n, row in enumerate(self.rows, 1):
            row.label = _("%(list)s, range %(n)d") % {"list": name, "n": n}
        # The empty row the page's script copies (its number is filled in there).
        self.template_row = self.form_class(prefix=f"{prefix}-__index__")

    @property
    def can_add(self):
        return len(self.rows) < self.limit

    def is_valid(self):
        checked = [row.is_valid() for row in self.rows]  # every row, for its errors
        valid = all(checked)
        check_ranges(
            self.rows,
            limit=self.limit,
            too_many=self.too_many(),
            inclusive=self.form_class is DateOffRangeForm,
        )
        return valid and not any(row.errors for row in self.rows)

    def too_many(self):
        return _("A day can have at most %(count)d ranges: remove this one or join it with another.") % {"count": self.limit}  # fmt: skip

    def spans(self):
        return [span for row in self.rows if (span := row.span())]


class DateOffList(RangeList):
    form_class = DateOffRangeForm
    limit = MAX_DATES_OFF

    def too_many(self):
        return _("You can list at most %(count)d times off: remove this one or join it with another.") % {"count": self.limit}  # fmt: skip


class AvailabilityForms:
    """The availability page: the week's hours day by day, the dates off and
    the settings, sent and saved as one form.

    The page's buttons name an action. "save" and "preview" validate it all;
    "add-<day>", "add-off" and "copy-<day>" only change the rows shown (one
    empty row more, or the day's ranges copied to Monday–Friday) and show
    everything again as typed, unvalidated and unsaved: the same page works
    without JavaScript."""

    SAVE, PREVIEW = "save", "preview"
    EDIT = re.compile(r"^(add|copy)-([0-6]|off)$")
    WEEKDAYS = range(5)  # Monday to Friday

    def __init__(self, data=None, *, specialist, availability, today):
        self.specialist = specialist
        self.notice = ""
        action = data.get("action", self.SAVE) if data is not None else None
        edit = self.EDIT.match(action or "")
        self.is_bound = data is not None and not edit
        self.action = action if action in (self.SAVE, self.PREVIEW) else None
        days = WeeklyWindow.Weekday.choices
        if self.is_bound:
            self.form = AvailabilityForm(data, specialist=specialist, instance=availability)  # fmt: skip
            self.days = [
                RangeList(data, prefix=f"hours-{day}", name=label)
                for day, label in days
            ]
            self.dates_off = DateOffList(data, prefix="off", name=_("Dates off"))
            return
        if edit:
            hours = {day: posted_values(data, f"hours-{day}") for day, _label in days}
            dates_off = posted_values(data, "off")
            settings = {
                "minimum_notice_hours": data.get("minimum_notice_hours", ""),
                "horizon_days": data.get("horizon_days", ""),
                "offers_free_consultation": bool(data.get("offers_free_consultation")),
            }
            self.notice = self._edit(edit[1], edit[2], hours, dates_off)
        else:
            hours = {day: [] for day, _label in days}
            for window in availability.windows.all():
                hours[window.weekday].append({"start": window.start, "end": window.end})
            dates_off = [
                {"start": off.start, "end": off.end}
                for off in availability.dates_off.all()
                if off.end >= today
            ]
            settings = {"offers_free_consultation": specialist.offers_free_consultation}
        self.form = AvailabilityForm(specialist=specialist, instance=availability, initial=settings)  # fmt: skip
        self.days = [
            RangeList(
                prefix=f"hours-{day}",
                name=label,
                initial=hours[day],
                empty_row=not edit or not hours[day],
            )
            for day, label in days
        ]
        self.dates_off = DateOffList(prefix="off", name=_("Dates off"), initial=dates_off, empty_row=not edit or not dates_off)  # fmt: skip

    def _edit(self, verb, target, hours, dates_off):
        """Applies an add or copy button to the typed rows; returns what to tell."""
        if target == "off":
            if len(dates_off) >= MAX_DATES_OFF:
                return _("You can list at most %(count)d times off.") % {"count": MAX_DATES_OFF}  # fmt: skip
            dates_off.append({})
            return _("One more row for dates off. Nothing is saved yet.")
        day = int(target)
        name = WeeklyWindow.Weekday(day).label
        if verb == "copy":
            for weekday in self.WEEKDAYS:
                hours[weekday] = [dict(values) for values in hours[day]]
            return _("%(day)s's hours are copied to every weekday, Monday to Friday. Nothing is saved yet: check them, then save.") % {"day": name}  # fmt: skip
        if len(hours[day]) >= MAX_RANGES_PER_DAY:
            return _("A day can have at most %(count)d ranges.") % {"count": MAX_RANGES_PER_DAY}  # fmt: skip
        hours[day].append({})
        return _("One more range for %(day)s. Nothing is saved yet.") % {"day": name}

    def is_valid(self):
        if not self.is_bound:
            return False
        checks = [self.form.is_valid(), self.dates_off.is_valid()]
        checks += [day.is_valid() for day in self.days]
        return all(checks)

    def windows(self):
        """The weekly hours as slot computation takes them (valid forms only)."""
        return [
            slots.Window(weekday, time(*divmod(start, 60)), time(*divmod(end % DAY_MINUTES, 60)))
            for weekday, day in enumerate(self.days)
            for start, end in day.spans()
        ]  # fmt: skip

    def dates_off_spans(self):
        return self.dates_off.spans()

    def errors(self):
        """Every error on the page, as (field id, where, message), in page order."""
        found = [(None, "", error) for error in self.form.non_field_errors()]
        rows = [(None, self.form)] + [
            (row.label, row)
            for rows in [*self.days, self.dates_off]
            for row in rows.rows
        ]
        for where, form in rows:
            for field in form:
                label = f"{where}: {field.label}" if where else field.label
                found += [(field.auto_id, label, error) for error in field.errors]
        return found


class SpecialistCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the visitor"), max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class ConsultationUpdateForm(SpecialistCancelForm):
    """What a specialist does with one consultation: cancel it (with a reason
    for the visitor) or record how a past one went."""

    CANCEL = "cancel"
    DONE = {
        CANCEL: _("The consultation is cancelled; the visitor has been told."),
        Booking.Status.COMPLETED: _("Saved."),
        Booking.Status.NO_SHOW: _("Saved."),
    }

    action = forms.ChoiceField(
        choices=[(action, action) for action in DONE],
        error_messages={
            "required": _("Unknown action."),
            "invalid_choice": _("Unknown action."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.CANCEL and not cleaned.get("reason"):
            raise forms.ValidationError(
                _("Please give the visitor a reason."), code="reason"
            )
        return cleaned

    def first_error(self):
        """The one line the consultations page shows for a refused change."""
        return next(iter(self.errors.values()))[0]

    def done_message(self):
        return self.DONE[self.cleaned_data["action"]]


class CalendarFeedForm(forms.ModelForm):
    class Meta:
        model = CalendarFeed
        fields = ["show_visitor_names"]
