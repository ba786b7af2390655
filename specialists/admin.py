from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.timezones import TimeZoneField
from core.widgets import AdminMarkdownWidget

from . import services
from .forms import RequestChangesForm
from .models import Approach, Language, Specialist
from .photos import PhotoField


@admin.register(Specialist)
class SpecialistAdmin(admin.ModelAdmin):
    list_display = [
        "display_name",
        "headline",
        "status",
        "is_verified",
        "offers_free_consultation",
        "submitted_at",
    ]
    list_filter = [
        "status",
        "is_verified",
        "offers_free_consultation",
        "is_demo",
        "country",
    ]
    search_fields = ["display_name", "headline", "user__email", "registration_number"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["topics", "approaches", "languages"]
    readonly_fields = ["submitted_at", "reviewed_at", "created_at", "updated_at"]
    formfield_overrides = {models.TextField: {"widget": AdminMarkdownWidget}}
    actions = ["approve", "request_changes", "mark_verified"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "time_zone":  # a list, not the admin's text input
            return db_field.formfield(form_class=TimeZoneField)
        if db_field.name == "photo":  # cropped, resized and stripped as on the site
            kwargs["form_class"] = PhotoField
        if db_field.name == "video_link":  # https only, so no http:// guess
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    fieldsets = [
        (
            None,
            {"fields": ["user", "slug", "display_name", "headline", "photo", "bio"]},
        ),
        (
            _("Practice"),
            {
                "fields": [
                    "topics",
                    "approaches",
                    "languages",
                    "offers_video",
                    "video_link",
                    "offers_phone",
                    "phone_direction",
                    "phone_number",
                    "offers_in_person",
                    "address",
                    "city",
                    "country",
                    "time_zone",
                    "years_of_practice",
                    "qualifications",
                    "fee_amount",
                    "fee_currency",
                    "offers_free_consultation",
                    "accepting_new_clients",
                ]
            },
        ),  # fmt: skip
        (
            _("Review"),
            {
                "fields": [
                    "status",
                    "review_note",
                    "registration_number",
                    "is_verified",
                    "submitted_at",
                    "reviewed_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),  # fmt: skip
    ]

    @admin.action(description=_("Approve the selected profiles"))
    def approve(self, request, queryset):
        for specialist in queryset:
            services.approve(specialist=specialist, request=request)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%d profile approved.", "%d profiles approved.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Request changes (emails the specialist)"))
    def request_changes(self, request, queryset):
        form = RequestChangesForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for specialist in queryset:
                services.request_changes(
                    specialist=specialist,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            count = queryset.count()
            self.message_user(
                request,
                ngettext(
                    "Changes requested for %d profile.",
                    "Changes requested for %d profiles.",
                    count,
                )
                % count,
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Request changes"),
            "form": form,
            "specialists": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/specialists/request_changes.html", context
        )

    @admin.action(description=_("Mark registration as verified"))
    def mark_verified(self, request, queryset):
        queryset.update(is_verified=True)


@admin.register(Approach)
class ApproachAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
