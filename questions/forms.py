from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import PlainTextField
from core.listing import FilterForm, LookupChoiceField
from core.models import Topic

from .models import (
    BODY_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    Question,
)


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["title", "body", "topic", "is_anonymous"]
        field_classes = {"body": PlainTextField}
        labels = {
            "title": _("Your question"),
            "body": _("Details"),
            "is_anonymous": _("Post anonymously"),
        }
        help_texts = {
            "title": _("10 to 150 characters."),
            "body": _("Plain text, up to 5,000 characters. Leave out names."),
            "is_anonymous": _(
                "Only our moderators can see who asked. Untick it to show the "
                "name in your account."
            ),
        }
        widgets = {
            "title": forms.TextInput(
                attrs={"maxlength": TITLE_MAX_LENGTH, "minlength": TITLE_MIN_LENGTH}
            ),
            "body": forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX_LENGTH}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.only("name")
        self.fields["topic"].required = True
        self.fields["topic"].empty_label = _("Choose a topic")


class AnswerForm(forms.Form):
    body = PlainTextField(
        label=_("Your answer"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX_LENGTH}),
        help_text=_("Plain text, up to 5,000 characters. Web addresses become links."),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with it?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX_LENGTH}),
    )


class QuestionFilterForm(FilterForm):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    topic = LookupChoiceField(label=_("Topic"), empty_label=_("Any topic"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One query; the options double as the lookup table.
        self.fields["topic"].set_options(
            {t.slug: t for t in Topic.objects.only("name", "slug")}
        )
