from django.contrib import admin

from .models import Report


def participant(conversation, user):
    """Who `user` is in the conversation, as staff may see it: the specialist's
    public name, the person's pseudonym. Never an email address."""
    if conversation.specialist is not None and user == conversation.specialist.user:
        return f"{conversation.specialist.display_name} (specialist)"
    if user is not None and user == conversation.user:
        return f"{conversation.pseudonym} (person)"
    return "Left the site"


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Staff see a private message only when a participant reported it."""

    list_display = ["created_at", "conversation", "reason", "resolved"]
    list_filter = ["resolved", "created_at"]
    readonly_fields = [
        "message_text",
        "sent_by",
        "reported_by",
        "conversation",
        "reason",
        "created_at",
    ]
    fields = [
        "message_text",
        "sent_by",
        "reported_by",
        "conversation",
        "reason",
        "created_at",
        "resolved",
    ]
    actions = ["mark_resolved"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "message__sender",
                "message__conversation__specialist__user",
                "message__conversation__user",
            )
        )

    @admin.display(description="Reported message")
    def message_text(self, report):
        return report.message.body

    @admin.display(description="Conversation")
    def conversation(self, report):
        conversation = report.message.conversation
        specialist = (
            conversation.specialist.display_name
            if conversation.specialist
            else "A specialist who has left"
        )
        return f"{specialist} and {conversation.pseudonym}"

    @admin.display(description="Sent by")
    def sent_by(self, report):
        return participant(report.message.conversation, report.message.sender)

    @admin.display(description="Reported by")
    def reported_by(self, report):
        return participant(report.message.conversation, report.reporter)

    @admin.action(description="Mark as dealt with")
    def mark_resolved(self, request, queryset):
        queryset.update(resolved=True)

    def has_add_permission(self, request):
        return False
