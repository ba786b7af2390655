from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import PlainTextField

from .models import MAX_LENGTH, ContactMessage


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactMessage
        fields = ["subject", "message"]
        field_classes = {"message": PlainTextField}
        widgets = {
            "message": forms.Textarea(attrs={"rows": 8, "maxlength": MAX_LENGTH})
        }
        help_texts = {"message": _("Up to 5,000 characters.")}
