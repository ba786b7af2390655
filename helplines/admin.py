from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Country, Line, check_cutoff


class DueForCheckFilter(admin.SimpleListFilter):
    title = _("check")
    parameter_name = "check"

    def lookups(self, request, model_admin):
        return [("due", _("Due for a check")), ("ok", _("Checked within a year"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(last_checked__lt=check_cutoff())
        if self.value() == "ok":
            return queryset.filter(last_checked__gte=check_cutoff())
        return queryset


@admin.display(boolean=True, description=_("check due"))
def check_due(obj):
    return obj.is_due_for_check


@admin.action(description=_("Mark as checked today (after comparing with the source)"))
def mark_checked(modeladmin, request, queryset):
    count = queryset.update(last_checked=timezone.localdate())
    modeladmin.message_user(
        request,
        ngettext("%d marked as checked today.", "%d marked as checked today.", count)
        % count,
        messages.SUCCESS,
    )


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["__str__", "code", "emergency_number", "last_checked", check_due]
    list_filter = [DueForCheckFilter]
    search_fields = ["code", "emergency_number"]
    actions = [mark_checked]


@admin.register(Line)
class LineAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "name",
        "country",
        "kind",
        "phone",
        "last_checked",
        check_due,
        "is_active",
    ]
    list_filter = [DueForCheckFilter, "kind", "is_active", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "phone", "key"]
    actions = [mark_checked]
    fieldsets = [
        (None, {"fields": ["country", "key", "kind", "name", "purpose"]}),
        (
            _("How to reach it"),
            {"fields": ["phone", "sms", "sms_body", "chat_url", "website"]},
        ),
        (None, {"fields": ["hours", "cost", "note"]}),
        (
            _("Trust"),
            {"fields": ["source_url", "last_checked", "is_active", "position"]},
        ),
    ]
