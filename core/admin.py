from django.contrib import admin

from core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail for auditors: searchable, never editable (the table is append-only)."""

    list_display = ["created_at", "object_repr", "action", "field", "actor", "channel"]
    list_filter = ["action", "channel", "content_type"]
    search_fields = ["object_repr", "field"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
