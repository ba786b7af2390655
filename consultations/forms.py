from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.fields import PlainTextField
from core.timezones import grouped_choices

from .models import Availability, Booking, CalendarFeed, DateOff, WeeklyWindow


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

    tz = forms.ChoiceField(label=_("Show times in"), choices=grouped_choices)

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


class WeeklyWindowForm(forms.ModelForm):
    class Meta:
        model = WeeklyWindow
        fields = ["weekday", "start", "end"]
        widgets = {
            "start": forms.TimeInput(attrs={"type": "time", "step": 1800}),
            "end": forms.TimeInput(attrs={"type": "time", "step": 1800}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return cleaned


WeeklyWindowFormSet = forms.inlineformset_factory(
    Availability, WeeklyWindow, form=WeeklyWindowForm, extra=2, can_delete=True
)
DateOffFormSet = forms.inlineformset_factory(
    Availability,
    DateOff,
    fields=["date"],
    widgets={"date": forms.DateInput(attrs={"type": "date"})},
    extra=2,
    can_delete=True,
)


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
