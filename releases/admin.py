"""Releases are read-only in the admin: they change only through the services (audited)."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from releases.models import Release


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "version_label", "state", "planned_date"]
    list_filter = ["state"]
    search_fields = ["number", "title", "version_label"]

