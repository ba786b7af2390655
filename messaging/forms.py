from django import forms
from django.utils.translation import gettext_lazy as _

from pages.fields import PlainTextField

from .models import MAX_LENGTH


class MessageForm(forms.Form):
    body = PlainTextField(
        label=_("Message"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_LENGTH}),
        help_text=_("Plain text, up to 5,000 characters."),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this message?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
