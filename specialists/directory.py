"""The public directory: approved specialists, filtered through a plain GET form.

Query budget (anonymous visitor, whatever the filters, order and page): topic
options, language options, the count (capped at COUNT_LIMIT), the page's rows,
and one prefetch each for the cards' topics and languages: six. Past the
count's limit, a page that holds the last bookable specialists and the first
of the others reads both lists (seven), and a page past every bookable one
also counts them (eight); see DirectoryResults.
Whether a specialist can be booked now, and when next, is a subquery of the
rows' query over FreeSlot. The country options come from django-countries,
not the database, and the topic and language filters are checked against the
options already loaded (a ModelChoiceField would query again to validate, and
again to render its options).

The cost of a page does not grow with the directory (bench/directory.py
prints it at 1,000, 10,000 and 100,000 specialists): see DirectoryResults.
"""

from django import forms
from django.db.models import Q, prefetch_related_objects
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
# Beyond this many matches the directory says "more than 2,000" and offers
# the first 100 pages: a filter narrows the list faster than paging does.
COUNT_LIMIT = 2000

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
    DirectoryFilterForm's cleaned_data, as DirectoryResults in page order."""
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
        return DirectoryResults(specialists.soonest_first())
    if filters.get("free"):  # all bookable: featured first is by name
        return DirectoryResults(specialists.order_by("display_name", "pk"))
    ranked = specialists.ranked_for(text)
    if "search_rank" in ranked.query.annotations:
        return DirectoryResults(ranked.featured_first())
    return DirectoryResults.featured_first(specialists)


class DirectoryResults:
    """The directory's matches in page order, for a Paginator, at a cost that
    does not grow with the size of the directory (bench/directory.py):

    - The count stops at COUNT_LIMIT: counting every row of a large directory
      cost as much as the rest of the page, and nobody reads 100 pages.
    - Featured first (bookable now, then the others, each by name): up to
      COUNT_LIMIT matches, one query that computes "bookable now" for each and
      sorts them. Beyond, two lists in name order, which the database walks
      along an index and leaves after the page: a sort by "bookable now" would
      compute it for every one of 100,000 specialists to pick twenty.
    """

    def __init__(self, in_order, *, bookable=None, others=None):
        # `in_order`: the matches in page order (not `ordered`: Paginator
        # would take it for QuerySet.ordered and evaluate it); `bookable` and `others`: the
        # same as two lists, read instead once the count reaches its limit.
        self.in_order, self.bookable, self.others = in_order, bookable, others
        self.is_capped = False

    @classmethod
    def featured_first(cls, matches):
        bookable = Q(offers_free_consultation=True, next_free__isnull=False)
        by_name = ("display_name", "pk")
        return cls(
            matches.featured_first(),
            bookable=matches.filter(bookable).order_by(*by_name),
            others=matches.exclude(bookable).order_by(*by_name),
        )

    def count(self):
        found = self.in_order.order_by().values("pk")[: COUNT_LIMIT + 1].count()
        self.is_capped = found > COUNT_LIMIT
        return min(found, COUNT_LIMIT)

    def __getitem__(self, page):
        start, stop = page.start, page.stop
        if not self.is_capped or self.bookable is None:
            rows = list(self.in_order[start:stop])
        else:
            rows = list(self.bookable[start:stop])
            if len(rows) < stop - start:
                if rows or start == 0:
                    bookable = start + len(rows)
                else:  # the page starts past the bookable ones: how many are there?
                    bookable = self.bookable.values("pk")[:start].count()
                rows += self.others[max(0, start - bookable) : stop - bookable]
        prefetch_related_objects(rows, "topics", "languages")
        return rows


@public_page(query=[*DirectoryFilterForm.base_fields, "page"])
def directory(request):
    specialists = (
        Specialist.objects.approved()
        .with_next_free(timezone.now())
        # The cards never show the long texts.
        .defer("bio", "bio_html", "qualifications", "review_note", "search_text")
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
