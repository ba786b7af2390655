from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.fields import MANY_TO_MANY_OVERRIDES
from core.timezones import TimeZoneField
from core.widgets import AdminMarkdownWidget, AutocompleteSelect

from . import services
from .forms import RequestChangesForm
from .models import Approach, Language, Specialist, SpecialistReview
from .photos import PhotoField
from .review import changes_since_approval


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
    formfield_overrides = {
        models.TextField: {"widget": AdminMarkdownWidget},
        **MANY_TO_MANY_OVERRIDES,
    }
    actions = ["approve", "request_changes", "mark_verified"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "time_zone":  # a list, not the admin's text input
            return db_field.formfield(form_class=TimeZoneField)
        if db_field.name == "photo":  # cropped, resized and stripped as on the site
            kwargs["form_class"] = PhotoField
        if db_field.name == "video_link":  # https only, so no http:// guess
            kwargs["assume_scheme"] = "https"
        if db_field.name == "user":  # a refused id is shown again, not a 500
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site)
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

    @admin.action(
        description=_("Approve the selected profiles"), permissions=["change"]
    )
    def approve(self, request, queryset):
        for specialist in queryset:
            services.approve(specialist=specialist, request=request)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%d profile approved.", "%d profiles approved.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Request changes (emails the specialist)"),
        permissions=["change"],
    )
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

    @admin.action(
        description=_("Mark registration as verified"), permissions=["change"]
    )
    def mark_verified(self, request, queryset):
        queryset.update(is_verified=True)


@admin.register(SpecialistReview)
class SpecialistReviewAdmin(SpecialistAdmin):
    """The review queue: profiles waiting for review, the longest waiting
    first. Each opens read-only, with what changed since the last approval,
    and the two decisions at the bottom. Reviewing is changing a Specialist,
    so the Specialist's permissions govern it."""

    list_display = ["display_name", "headline", "kind", "waiting", "submitted_at"]
    list_filter = []
    ordering = ["submitted_at", "pk"]
    actions = ["approve", "request_changes"]
    change_form_template = "admin/specialists/specialistreview/change_form.html"

    class Media:
        css = {"all": ["admin/css/review.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Specialist.Status.PENDING)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(
            "specialists.view_specialist"
        ) or self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("specialists.change_specialist")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fieldsets(self, request, obj=None):
        # The whole profile, with its photo shown rather than linked.
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        "photo_thumbnail" if f == "photo" else f
                        for f in options["fields"]
                    ],
                },
            )
            for name, options in self.fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        # Read, then decide: edits belong on the Specialist's own page.
        return [f for _name, options in self.fieldsets for f in options["fields"]] + [
            "photo_thumbnail"
        ]

    def index_name(self, request):
        """The admin index names the queue with its length."""
        count = self.get_queryset(request).count()
        return f"{capfirst(self.opts.verbose_name_plural)} ({count})"

    @admin.display(description=_("kind"))
    def kind(self, specialist):
        if specialist.approved_snapshot:
            return _("Re-submitted")
        return _("New profile")

    @admin.display(description=_("waiting for"), ordering="submitted_at")
    def waiting(self, specialist):
        if specialist.submitted_at is None:
            return self.get_empty_value_display()
        return timesince(specialist.submitted_at, depth=1)

    @admin.display(description=_("photo"))
    def photo_thumbnail(self, specialist):
        if not specialist.photo:
            return self.get_empty_value_display()
        return format_html(
            '<img class="review-photo" src="{}" alt="{}">',
            specialist.photo.url,
            _("Photo of %(name)s") % {"name": specialist.display_name},
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(require_POST(self.approve_view)),
                name="specialists_specialistreview_approve",
            ),
            path(
                "<path:object_id>/request-changes/",
                self.admin_site.admin_view(self.request_changes_view),
                name="specialists_specialistreview_request_changes",
            ),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method not in ("GET", "HEAD"):  # nothing to save here
            return HttpResponseNotAllowed(["GET", "HEAD"])
        specialist = self.get_object(request, unquote(object_id or ""))
        context = {
            "title": _("Review profile"),
            "changes": specialist and changes_since_approval(specialist),
            "request_changes_form": RequestChangesForm(),
            **(extra_context or {}),
        }
        return super().changeform_view(request, object_id, form_url, context)

    def approve_view(self, request, object_id):
        specialist = self._queued(request, object_id)
        if specialist is None:
            return redirect(self._queue_url())
        services.approve(specialist=specialist, request=request)
        self.message_user(
            request,
            _("%(name)s approved: the profile is public.")
            % {"name": specialist.display_name},
            messages.SUCCESS,
        )
        return redirect(self._queue_url())

    def request_changes_view(self, request, object_id):
        specialist = self._queued(request, object_id)
        if specialist is None:
            return redirect(self._queue_url())
        form = RequestChangesForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            services.request_changes(
                specialist=specialist,
                reason=form.cleaned_data["reason"],
                request=request,
            )
            self.message_user(
                request,
                _("Changes requested from %(name)s.")
                % {"name": specialist.display_name},
                messages.SUCCESS,
            )
            return redirect(self._queue_url())
        context = {
            **self.admin_site.each_context(request),
            "title": _("Request changes"),
            "form": form,
            "specialists": [specialist],
            "opts": self.opts,
        }
        return TemplateResponse(
            request, "admin/specialists/request_changes.html", context
        )

    def _queued(self, request, object_id):
        """The profile if it still waits for review (another reviewer may have
        decided meanwhile: then None, and a message says so)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        specialist = self.get_object(request, unquote(object_id))
        if specialist is None:
            self.message_user(
                request,
                _("That profile is no longer waiting for review."),
                messages.WARNING,
            )
        return specialist

    def _queue_url(self):
        return reverse(
            "admin:specialists_specialistreview_changelist",
            current_app=self.admin_site.name,
        )


@admin.register(Approach)
class ApproachAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
