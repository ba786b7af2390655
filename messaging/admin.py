from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Staff see a private message only when a participant reported it."""

    list_display = ["created_at", "reason", "resolved"]
    list_filter = ["resolved", "created_at"]
    readonly_fields = ["message_text", "reporter", "reason", "created_at"]
    fields = ["message_text", "reporter", "reason", "created_at", "resolved"]
    actions = ["mark_resolved"]

    @admin.display(description="Reported message")
    def message_text(self, report):
        return report.message.body

    @admin.action(description="Mark as dealt with")
    def mark_resolved(self, request, queryset):
        queryset.update(resolved=True)

    def has_add_permission(self, request):
        return False
