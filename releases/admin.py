"""Releases are read-only in the admin: they change only through the services (audited)."""

from django.contrib import admin

from releases.models import Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "version_label", "state", "planned_date"]
    list_filter = ["state"]
    search_fields = ["number", "title", "version_label"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
