from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: staff see what went out and what is stuck, never the body
    (it can hold a visitor's private manage link)."""

    list_display = [
        "subject",
        "recipients",
        "created_at",
        "sent_at",
        "failed_at",
        "attempts",
    ]
    list_filter = [
        ("sent_at", admin.EmptyFieldListFilter),
        ("failed_at", admin.EmptyFieldListFilter),
        "created_at",
    ]
    date_hierarchy = "created_at"
    fields = [
        "subject",
        "from_email",
        "to",
        "reply_to",
        "created_at",
        "sent_at",
        "attempts",
        "next_attempt_at",
        "failed_at",
        "last_error",
        "about",
    ]
    readonly_fields = fields

    @admin.display(description=_("to"))
    def recipients(self, message):
        return ", ".join(message.to)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
