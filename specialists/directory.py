"""The public directory: approved specialists, filtered through a plain GET form.

Query budget (anonymous visitor, whatever the filters, order and page): topic
options, language options, the count, the page's rows, and one prefetch each
for the cards' topics and languages: six. Whether a specialist can be booked
now, and when next, is a subquery of the rows' query over FreeSlot. The country options come from
django-countries, not the database, and the topic and language filters are
checked against the options already loaded (a ModelChoiceField would query
again to validate, and again to render its options).
"""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.listing import FilterForm, LookupChoiceField, filtered_page
from core.models import Topic
from core.pagecache import public_page
from core.select import CachedSelect

from .models import Language, Specialist

PER_PAGE = 20

# The `format` filter's values, and the field that offers each.
FORMAT_FIELDS = {
    "video": "offers_video",
    "phone": "offers_phone",
    "in_person": "offers_in_person",
}


class DirectoryFilterForm(FilterForm):
    q = forms.CharField(
        label=_("Name or keyword"),
        required=False,
        max_length=100,
        help_text=_("Words in the name, profile, city, country, languages or topics."),
    )
    topic = LookupChoiceField(label=_("Topic"), empty_label=_("Any topic"))
    language = LookupChoiceField(label=_("Language"), empty_label=_("Any language"))
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
    country = forms.ChoiceField(label=_("Country"), required=False, widget=CachedSelect)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Free consultation first")),
            ("soonest", _("Soonest available")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One query each; the options double as the lookup table.
        self.fields["topic"].set_options(
            {t.slug: t for t in Topic.objects.only("name", "slug")}
        )
        self.fields["language"].set_options(
            {lang.code: lang for lang in Language.objects.all()}
        )
        self.fields["country"].choices = [("", _("Any country")), *countries]


def filter_specialists(specialists, filters):
    """`specialists` (annotated with_next_free) narrowed by a
    DirectoryFilterForm's cleaned_data."""
    # Every word must begin a word somewhere: "anx berlin" finds the
    # specialist whose bio says anxiety and whose city is Berlin.
    text = filters.get("q", "")
    specialists = specialists.matching_words(text)
    if topic := filters.get("topic"):
        specialists = specialists.filter(topics=topic)
    if language := filters.get("language"):
        specialists = specialists.filter(languages=language)
    if format_field := FORMAT_FIELDS.get(filters.get("format")):
        specialists = specialists.filter(**{format_field: True})
    if filters.get("free"):
        specialists = specialists.filter(next_free__isnull=False)
    if country := filters.get("country"):
        specialists = specialists.filter(country=country)
    if city := filters.get("city"):
        specialists = specialists.filter(city__istartswith=city)
    if filters.get("sort") == "soonest":
        return specialists.soonest_first()
    return specialists.ranked_for(text).featured_first()


@public_page(query=[*DirectoryFilterForm.base_fields, "page"])
def directory(request):
    specialists = (
        Specialist.objects.approved()
        .with_next_free(timezone.now())
        # The cards never show the long texts.
        .defer("bio", "bio_html", "qualifications", "review_note", "search_text")
        .prefetch_related("topics", "languages")
    )
    form, page, filter_params = filtered_page(
        request,
        DirectoryFilterForm,
        specialists,
        filter_specialists,
        per_page=PER_PAGE,
    )
    context = {
        "form": form,
        "page_obj": page,
        "filter_params": filter_params,
        "section": "specialists",
    }
    return render(request, "specialists/specialist_list.html", context)
