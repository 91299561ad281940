"""Configuration data for administrators: categories and routing rules. Incidents are read-only here:
they change only through the services (desk, portal, API) so every change is audited."""

from django.contrib import admin

from incidents.models import AssignmentRule, Category, Incident


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "order", "active"]
    list_filter = ["active", "parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "category", "service", "use_ci_owner_group", "assignment_group", "active"]
    list_display_links = ["name"]
    list_editable = ["order", "active"]
    autocomplete_fields = ["category"]
    raw_id_fields = ["service"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "state", "priority", "assignment_group", "assigned_to", "created_at"]
    list_filter = ["state", "priority", "is_major"]
    search_fields = ["number", "title"]
    show_full_result_count = False  # a million rows: no COUNT(*) on every page
    list_select_related = ["assignment_group", "assigned_to"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Incident._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
