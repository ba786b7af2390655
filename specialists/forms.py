from django import forms
from django.utils.translation import gettext_lazy as _

from core.timezones import TimeZoneField

from .models import Specialist
from .photos import process_photo


class SpecialistForm(forms.ModelForm):
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
            "offers_phone",
            "offers_in_person",
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
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "approaches": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "photo": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
            "qualifications": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "photo": _("JPEG, PNG or WebP, up to 5 MB. We crop it square."),
            "bio": _("Markdown. Up to 5,000 characters."),
        }

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
        if cleaned.get("fee_amount") is not None and not cleaned.get("fee_currency"):
            self.add_error("fee_currency", _("Choose the currency of your fee."))
        return cleaned


class RequestChangesForm(forms.Form):
    """Staff: what the specialist should change before approval."""

    reason = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )
