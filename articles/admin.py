from django.contrib import admin
from django.db import models
from django.http import Http404
from markdownx.models import MarkdownxField
from simple_history.admin import SimpleHistoryAdmin

from core.fields import MANY_TO_MANY_OVERRIDES
from core.widgets import AdminMarkdownWidget

from .models import Article, Reference


class ReferenceInline(admin.StackedInline):
    model = Reference
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [
        "position",
        ("authors", "year"),
        "title",
        ("source", "volume", "issue", "pages"),
        "annotation",
        "relevant_parts",
        ("doi", "url"),
    ]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    """Articles in Markdown with live preview; History lists every revision,
    and each one can be restored ("Revert")."""

    inlines = [ReferenceInline]
    list_display = ["title", "status", "published_at", "updated_at", "last_reviewed"]
    list_filter = ["status", "topics", "published_at"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    date_hierarchy = "published_at"
    formfield_overrides = {
        MarkdownxField: {"widget": AdminMarkdownWidget},
        **MANY_TO_MANY_OVERRIDES,
    }
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "topics"]}),
        ("Publication", {"fields": ["status", "published_at"]}),
        ("Review", {"fields": ["reviewed_by", "last_reviewed", "next_review_due"]}),
    ]

    # django-simple-history looks ids up as given: a word for one raised
    # ValueError (a 500). Ids here are whole numbers; anything else is a 404.
    def history_view(self, request, object_id, extra_context=None):
        _require_numbers(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _require_numbers(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


def _require_numbers(*ids):
    if not all(value.isascii() and value.isdigit() for value in ids):
        raise Http404
