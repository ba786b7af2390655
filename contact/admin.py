from django.contrib import admin

from .models import ContactMessage


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["subject", "message", "user__email"]
    date_hierarchy = "created_at"
    readonly_fields = ["user", "subject", "message", "created_at"]

    def has_add_permission(self, request):
        return False
