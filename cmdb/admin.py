"""Configuration data for administrators: CI classes and their schemas, relationship rules."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cmdb import services
from cmdb.models import CIClass, ConfigurationItem, ImportJob, Relationship, RelationshipRule
from core.admin import ReadOnlyAdminMixin, ServiceWritesAdmin, changed_values, form_values


@admin.register(CIClass)
class CIClassAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "icon", "colour"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(RelationshipRule)
class RelationshipRuleAdmin(admin.ModelAdmin):
    list_display = ["source_class", "type", "target_class"]
    list_filter = ["type"]


class OutgoingInline(ReadOnlyAdminMixin, admin.TabularInline):
    # Relationships change on the CI page or through the API, where each link is audited on both CIs.
    model = Relationship
    fk_name = "source"
    raw_id_fields = ["target"]
    extra = 0
    verbose_name_plural = _("needs")


@admin.register(ConfigurationItem)
class ConfigurationItemAdmin(ServiceWritesAdmin):
    list_display = ["name", "ci_class", "status", "environment", "criticality", "owner_group"]
    list_filter = ["ci_class", "status", "environment", "criticality"]
    list_select_related = ["ci_class", "owner_group"]
    search_fields = ["name", "external_id"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [OutgoingInline]

    def create(self, request, form, obj):
        return services.create_ci(**self.writer_kwargs(request), **form_values(form, ConfigurationItem.EDITABLE_FIELDS))

    def update(self, request, form, obj):
        ci, _diff = services.update_ci(obj, **self.writer_kwargs(request),
                                       changes=changed_values(form, ConfigurationItem.EDITABLE_FIELDS))
        return ci

    def delete(self, request, obj):
        services.delete_ci(obj, **self.writer_kwargs(request))


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Jobs are started (and audited) from the import page; here they are evidence only.
    list_display = ["id", "kind", "filename", "status", "dry_run", "total_rows", "created_by", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "payload"]
    exclude = ["payload"]

