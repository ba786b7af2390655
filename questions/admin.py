from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Answer, Question, Report


class HideRestoreMixin:
    """Hide and restore actions: hidden items are 404 or left out in public."""

    actions = ["hide", "restore"]

    @admin.action(description=_("Hide the selected items from the public"))
    def hide(self, request, queryset):
        count = queryset.update(is_hidden=True)
        self.message_user(
            request,
            ngettext("%d item hidden.", "%d items hidden.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Show the selected items again"))
    def restore(self, request, queryset):
        count = queryset.update(is_hidden=False)
        self.message_user(
            request,
            ngettext("%d item restored.", "%d items restored.", count) % count,
            messages.SUCCESS,
        )


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0
    fields = ["specialist", "body", "is_accepted", "is_hidden", "created_at"]
    readonly_fields = ["specialist", "body", "is_accepted", "created_at"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(HideRestoreMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "topic",
        "author",
        "is_anonymous",
        "is_hidden",
        "created_at",
    ]
    list_filter = ["is_hidden", "is_anonymous", "topic", "created_at"]
    list_select_related = ["topic", "author"]
    search_fields = ["title", "body", "author__email"]
    date_hierarchy = "created_at"
    fields = [
        "title",
        "body",
        "topic",
        "author",
        "is_anonymous",
        "is_hidden",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["author", "created_at", "updated_at"]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False


@admin.register(Answer)
class AnswerAdmin(HideRestoreMixin, admin.ModelAdmin):
    list_display = ["__str__", "question", "specialist", "is_accepted", "is_hidden"]
    list_filter = ["is_hidden", "is_accepted", "created_at"]
    list_select_related = ["question", "specialist"]
    search_fields = ["body", "question__title", "specialist__display_name"]
    fields = [
        "question",
        "specialist",
        "body",
        "is_accepted",
        "is_hidden",
        "created_at",
    ]
    readonly_fields = ["question", "specialist", "is_accepted", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reported_item", "reason", "resolved"]
    list_filter = ["resolved", "created_at"]
    list_select_related = ["question", "answer__question", "reporter"]
    fields = ["reported_item", "reason", "reporter", "created_at", "resolved"]
    readonly_fields = ["reported_item", "reason", "reporter", "created_at"]
    actions = ["hide_reported", "mark_resolved"]

    @admin.display(description=_("reported"))
    def reported_item(self, report):
        target = report.target
        opts = target._meta
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[target.pk]
        )
        label = (
            report.question.title
            if report.question
            else _("Answer to: %(title)s") % {"title": report.answer.question.title}
        )
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.action(description=_("Hide what was reported, and mark as dealt with"))
    def hide_reported(self, request, queryset):
        count = services.hide_reported(reports=queryset)
        self.message_user(
            request,
            ngettext("%d item hidden.", "%d items hidden.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark as dealt with"))
    def mark_resolved(self, request, queryset):
        queryset.update(resolved=True)

    def has_add_permission(self, request):
        return False
