"""Configuration data for administrators: standard change templates, approval policies and
their stages, change freezes. Changes themselves are read-only here: they change only through
the services (desk and API) so every step is audited."""

from django.contrib import admin

from changes import freezes
from changes.models import ApprovalPolicy, ApprovalStage, Change, ChangeTemplate, FreezeWindow
from core.admin import ReadOnlyAdminMixin, ServiceWritesAdmin, changed_values, form_values


@admin.register(ChangeTemplate)
class ChangeTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "risk", "assignment_group", "active"]
    list_filter = ["active", "risk"]
    search_fields = ["name", "description"]


class ApprovalStageInline(admin.TabularInline):
    model = ApprovalStage
    extra = 1
    fields = ["order", "name", "group", "managers_decide", "mode", "quorum"]


@admin.register(ApprovalPolicy)
class ApprovalPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "change_type", "risk", "approvers_may_repeat", "active"]
    list_filter = ["change_type", "risk", "active"]
    inlines = [ApprovalStageInline]


@admin.register(FreezeWindow)
class FreezeWindowAdmin(ServiceWritesAdmin):
    list_display = ["name", "start", "end", "active"]
    list_filter = ["active"]
    search_fields = ["name", "reason"]
    raw_id_fields = ["services"]

    def create(self, request, form, obj):
        return freezes.create_freeze(**self.writer_kwargs(request), **form_values(form, freezes.FIELDS))

    def update(self, request, form, obj):
        return freezes.update_freeze(obj, **self.writer_kwargs(request),
                                     changes=changed_values(form, freezes.FIELDS))

    def delete(self, request, obj):
        freezes.delete_freeze(obj, **self.writer_kwargs(request))


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "type", "state", "risk", "planned_start", "requested_by"]
    list_filter = ["type", "state", "risk"]
    search_fields = ["number", "title"]

