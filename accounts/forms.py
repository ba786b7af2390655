import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .models import User

NAME_MAX_LENGTH = 50


class DisplayNameForm(forms.ModelForm):
    """The name the specialists a person writes to see. Optional: without it
    they see a pseudonym for the conversation ("Visitor 4821")."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        help_text=_(
            "Specialists you write to see this name. It need not be your real "
            "name: a first name or an alias is enough. Leave it empty and each "
            "specialist sees a number instead, such as “Visitor 4821”. Up to "
            "50 characters."
        ),
    )

    class Meta:
        model = User
        fields = ["name"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if any(unicodedata.category(c).startswith("C") for c in name):
            raise ValidationError(
                _("Please use letters, numbers and punctuation only."),
                code="control",
            )
        if any(_is_email(word.strip("()[]<>{},;:'\"")) for word in name.split()):
            raise ValidationError(
                _(
                    "This looks like an email address. Specialists never see "
                    "yours: please choose a name instead."
                ),
                code="email",
            )
        return name


def _is_email(text):
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it is you."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong")
        return password
