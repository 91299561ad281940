"""Configuration data for administrators: standard change templates, approval policies and
their stages, change freezes. Changes themselves are read-only here: they change only through
the services (desk and API) so every step is audited."""

from django.contrib import admin

from changes.models import ApprovalPolicy, ApprovalStage, Change, ChangeTemplate, FreezeWindow


@admin.register(ChangeTemplate)
class ChangeTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "risk", "assignment_group", "active"]
    list_filter = ["active", "risk"]
    search_fields = ["name", "description"]


class ApprovalStageInline(admin.TabularInline):
    model = ApprovalStage
    extra = 1
    fields = ["order", "name", "group", "mode", "quorum"]


@admin.register(ApprovalPolicy)
class ApprovalPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "change_type", "risk", "active"]
    list_filter = ["change_type", "risk", "active"]
    inlines = [ApprovalStageInline]


@admin.register(FreezeWindow)
class FreezeWindowAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "active"]
    list_filter = ["active"]
    search_fields = ["name", "reason"]
    raw_id_fields = ["services"]


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "type", "state", "risk", "planned_start", "requested_by"]
    list_filter = ["type", "state", "risk"]
    search_fields = ["number", "title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
