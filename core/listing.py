"""Lists narrowed through a plain GET form and shown one page at a time.

The specialist directory and the question list work alike: every filter is
optional, an invalid one is reported and left out while the others still
apply, options come from one query each and double as the lookup table, and
the pagination links keep the filters. The query budget is the options, the
count and the page's rows: the forms never query to validate or to render.
"""

from django import forms
from django.core.paginator import Paginator
from django.http import QueryDict


class LookupChoiceField(forms.ChoiceField):
    """A choice among options loaded once ({value: object}, labelled by the
    object's str), whose cleaned value is the object itself. A
    ModelChoiceField would query again to validate, and again to render."""

    def __init__(self, *, empty_label, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.empty_label = empty_label
        self.options = {}

    def set_options(self, options):
        self.options = options
        self.choices = [("", self.empty_label)] + [
            (value, str(option)) for value, option in options.items()
        ]

    def clean(self, value):
        return self.options.get(super().clean(value))


class FilterForm(forms.Form):
    """A list's GET form. Every field is optional; an invalid one is
    reported and left out of cleaned_data, so the other filters still apply."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def filter_params(self):
        """The submitted filters (without `page` and empty values), for
        pagination links that keep them."""
        params = QueryDict(mutable=True)
        for name in self.fields:
            value = self.data.get(name, "")
            if value:
                params[name] = value
        return params


def filtered_page(request, form_class, queryset, filter_queryset, *, per_page):
    """The bound filter form, the requested page of `queryset` narrowed by
    `filter_queryset(queryset, cleaned_data)`, and the filters as a QueryDict
    for the pagination links."""
    form = form_class(request.GET)
    form.is_valid()  # errors are shown; the valid filters still apply
    objects = filter_queryset(queryset, form.cleaned_data)
    page = Paginator(objects, per_page).get_page(request.GET.get("page"))
    return form, page, form.filter_params()
