"""The public directory: approved specialists, filtered through a plain GET form.

Query budget (anonymous visitor, whatever the filters and page): topic options,
language options, the count, the page's rows, and one prefetch each for the
cards' topics and languages: six. The country options come from
django-countries, not the database, and the topic and language filters are
checked against the options already loaded (a ModelChoiceField would query
again to validate, and again to render its options).
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from articles.models import Topic

from .models import Language, Specialist

PER_PAGE = 20

# The `format` filter's values, and the field that offers each.
FORMAT_FIELDS = {
    "video": "offers_video",
    "phone": "offers_phone",
    "in_person": "offers_in_person",
}


class DirectoryFilterForm(forms.Form):
    """Every field is optional; an invalid one is reported and left out of
    cleaned_data, so the other filters still apply."""

    q = forms.CharField(
        label=_("Name or keyword"),
        required=False,
        max_length=100,
        help_text=_("Words in the name, headline or profile text."),
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", _("Any")),
            ("video", _("Video")),
            ("phone", _("Phone")),
            ("in_person", _("In person")),
        ],
    )
    free = forms.BooleanField(label=_("Offers a free consultation"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    city = forms.CharField(label=_("City"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # One query each; the options double as the lookup table for clean_*().
        self.topics = {t.slug: t for t in Topic.objects.only("name", "slug")}
        self.languages = {lang.code: lang for lang in Language.objects.all()}
        self.fields["topic"].choices = [("", _("Any topic"))] + [
            (slug, topic.name) for slug, topic in self.topics.items()
        ]
        self.fields["language"].choices = [("", _("Any language"))] + [
            (code, lang.name) for code, lang in self.languages.items()
        ]
        self.fields["country"].choices = [("", _("Any country")), *countries]

    def clean_topic(self):
        return self.topics.get(self.cleaned_data["topic"])

    def clean_language(self):
        return self.languages.get(self.cleaned_data["language"])

    def filter_params(self):
        """The submitted filters (without `page` and empty values), for
        pagination links that keep them."""
        params = QueryDict(mutable=True)
        for name in self.fields:
            value = self.data.get(name, "")
            if value:
                params[name] = value
        return params


def filter_specialists(specialists, filters):
    """`specialists` narrowed by a DirectoryFilterForm's cleaned_data."""
    # Every word must appear somewhere: "anxiety berlin" finds the specialist
    # whose headline says one and whose profile text says the other.
    for word in filters.get("q", "").split():
        specialists = specialists.filter(
            Q(display_name__icontains=word)
            | Q(headline__icontains=word)
            | Q(bio__icontains=word)
        )
    if topic := filters.get("topic"):
        specialists = specialists.filter(topics=topic)
    if language := filters.get("language"):
        specialists = specialists.filter(languages=language)
    if format_field := FORMAT_FIELDS.get(filters.get("format")):
        specialists = specialists.filter(**{format_field: True})
    if filters.get("free"):
        specialists = specialists.filter(offers_free_consultation=True)
    if country := filters.get("country"):
        specialists = specialists.filter(country=country)
    if city := filters.get("city"):
        specialists = specialists.filter(city__istartswith=city)
    return specialists


def directory(request):
    form = DirectoryFilterForm(request.GET)
    form.is_valid()  # errors are shown; the valid filters still apply
    specialists = (
        filter_specialists(Specialist.objects.approved(), form.cleaned_data)
        .featured_first()
        # The cards never show the long texts.
        .defer("bio", "bio_html", "qualifications", "review_note")
        .prefetch_related("topics", "languages")
    )
    page = Paginator(specialists, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "filter_params": form.filter_params(),
        "section": "specialists",
    }
    return render(request, "specialists/specialist_list.html", context)
