from django.contrib import admin

from mailin.models import InboundMessage, Mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ("name", "address", "opens", "default_group", "unknown_senders", "active", "last_polled_at")
    list_filter = ("active", "opens", "unknown_senders")
    search_fields = ("name", "address")
    readonly_fields = ("last_polled_at", "last_error")


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    """The received-mail log is evidence: read-only here."""

    list_display = ("received_at", "mailbox", "sender", "subject", "state", "ticket_number")
    list_filter = ("state", "mailbox")
    search_fields = ("sender", "subject", "message_id", "ticket_number")
    date_hierarchy = "received_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
