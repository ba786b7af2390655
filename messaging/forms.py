from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import PlainTextField

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


class BlockForm(forms.Form):
    """Block the conversation (the default), or lift one's own block."""

    DONE = {
        "block": _("You have blocked this conversation: no more messages either way."),
        "unblock": _("You have unblocked this conversation."),
    }

    action = forms.ChoiceField(
        choices=[("block", _("Block")), ("unblock", _("Unblock"))], required=False
    )

    def clean_action(self):
        return self.cleaned_data["action"] or "block"

    def is_block(self):
        return self.cleaned_data["action"] == "block"

    def done_message(self):
        return self.DONE[self.cleaned_data["action"]]
