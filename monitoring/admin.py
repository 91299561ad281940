"""Rules are configuration (editable); alerts and events are records (read-only here)."""

from django.contrib import admin

from monitoring.models import Alert, CIMappingRule, Event, IncidentRule


@admin.register(CIMappingRule)
class CIMappingRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "active", "match_on", "label", "pattern", "target", "attribute")
    list_editable = ("order", "active")


@admin.register(IncidentRule)
class IncidentRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "active", "min_severity", "environment", "max_criticality", "open_incident",
                    "impact", "urgency")
    list_editable = ("order", "active")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("fingerprint", "state", "severity", "ci", "count", "last_seen", "incident")
    list_filter = ("state", "severity")
    raw_id_fields = ("ci", "service", "incident")


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "fingerprint", "status", "severity", "ci_name")
    raw_id_fields = ("ci", "alert", "submitted_by")
