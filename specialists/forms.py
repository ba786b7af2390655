from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import formfield
from core.select import CachedSelect
from core.timezones import TimeZoneField, grouped_choices

from .models import Specialist
from .photos import process_photo


class SpecialistForm(forms.ModelForm):
    video_link = Specialist._meta.get_field("video_link").formfield(
        assume_scheme="https", widget=forms.URLInput(attrs={"placeholder": "https://"})
    )

    class Meta:
        model = Specialist
        fields = [
            "display_name",
            "headline",
            "photo",
            "bio",
            "topics",
            "approaches",
            "languages",
            "offers_video",
            "video_link",
            "offers_phone",
            "phone_direction",
            "phone_number",
            "offers_in_person",
            "address",
            "city",
            "country",
            "time_zone",
            "years_of_practice",
            "qualifications",
            "registration_number",
            "fee_amount",
            "fee_currency",
            "offers_free_consultation",
            "accepting_new_clients",
        ]
        field_classes = {"time_zone": TimeZoneField}
        formfield_callback = formfield
        widgets = {
            "country": CachedSelect,
            "topics": forms.CheckboxSelectMultiple,
            "approaches": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "photo": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
            "qualifications": forms.Textarea(attrs={"rows": 4}),
            "phone_direction": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            "phone_number": forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel"}
            ),
        }
        help_texts = {
            "photo": _("JPEG, PNG or WebP, up to 5 MB. We crop it square."),
            "bio": _("Markdown. Up to 5,000 characters."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone_direction"].choices = Specialist.PhoneDirection.choices
        zone = self.fields["time_zone"]
        zone.widget.choices = grouped_choices(empty_label=_("Choose your time zone"))
        zone.required = True
        zone.help_text = _(
            "Your weekly hours are in this zone; visitors see them in theirs."
        )
        # site.js picks the browser's zone for an empty list.
        zone.widget.attrs["data-browser-zone"] = ""
        if self.instance.pk is None:
            # No silent default: a new profile states its zone. The model's
            # "UTC" would otherwise be pre-selected and kept by accident.
            self.initial["time_zone"] = ""

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        # Only a new upload needs processing; a stored photo already was.
        if photo and hasattr(photo, "content_type"):
            return process_photo(photo)
        return photo

    def clean(self):
        cleaned = super().clean()
        if not any(
            cleaned.get(f) for f in ("offers_video", "offers_phone", "offers_in_person")
        ):
            raise forms.ValidationError(
                _("Choose at least one way to meet."), code="no_format"
            )
        self._require_meeting_details(cleaned)
        if cleaned.get("fee_amount") is not None and not cleaned.get("fee_currency"):
            self.add_error("fee_currency", _("Choose the currency of your fee."))
        return cleaned

    def _require_meeting_details(self, cleaned):
        """A format can only be offered with what a booked visitor needs to
        meet: the error goes next to the missing detail."""
        missing = []
        if cleaned.get("offers_video") and not cleaned.get("video_link"):
            missing.append(
                ("video_link", _("To offer video, give the link visitors use to join."))
            )
        if cleaned.get("offers_phone"):
            direction = cleaned.get("phone_direction")
            if not direction:
                missing.append(
                    ("phone_direction", _("To offer phone, choose who calls whom."))
                )
            elif (
                direction == Specialist.PhoneDirection.VISITOR_CALLS
                and not cleaned.get("phone_number")
            ):
                missing.append(
                    ("phone_number", _("Visitors call you: give the number they call."))
                )
        if cleaned.get("offers_in_person"):
            if not cleaned.get("address"):
                missing.append(("address", _("To meet in person, give the address.")))
            if not cleaned.get("city"):
                missing.append(
                    (
                        "city",
                        _("To meet in person, give the city (your profile shows it)."),
                    )
                )
        for field, message in missing:
            if field not in self.errors:
                self.add_error(field, message)

    def clean_address(self):
        # One address, without stray blank lines (it goes into calendar files).
        lines = (line.strip() for line in self.cleaned_data["address"].splitlines())
        return "\n".join(line for line in lines if line)


class RequestChangesForm(forms.Form):
    """Staff: what the specialist should change before approval."""

    reason = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )


class EmailPreferencesForm(forms.ModelForm):
    """The emails a specialist may turn off (those about their bookings
    always go)."""

    class Meta:
        model = Specialist
        fields = ["email_review_updates", "email_new_messages"]
        labels = {
            "email_review_updates": _("Review of my profile"),
            "email_new_messages": _("New messages"),
        }
        help_texts = {
            "email_review_updates": _(
                "When our team approves your profile or asks for changes. "
                "Your dashboard always shows where the review stands."
            ),
            "email_new_messages": _(
                "When someone writes to you: at most one email an hour for each "
                "conversation, never with the message's text."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)  # a box, not a field

    def save(self, commit=True):
        # These fields only: a change of settings is not a change of the
        # profile (its updated_at dates the public page).
        if commit:
            self.instance.save(update_fields=self._meta.fields)
        return self.instance
