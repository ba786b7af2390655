from django import forms
from django.utils.translation import gettext_lazy as _


class CountryForm(forms.Form):
    country = forms.ChoiceField(label=_("Your country"), required=False)

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        choices = sorted(((c.code.code, c.name) for c in countries), key=lambda c: c[1])
        self.fields["country"].choices = [
            ("", _("Another country (international list)")),
            *choices,
        ]
