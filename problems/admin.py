"""Problems are worked on the desk (services write the audit trail); the admin only reads them."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from problems.models import Problem


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "state", "known_error", "priority", "assignment_group", "updated_at"]
    list_filter = ["state", "known_error", "cause_category"]
    search_fields = ["number", "title", "root_cause", "workaround"]
    date_hierarchy = "created_at"
    list_select_related = ["assignment_group"]

