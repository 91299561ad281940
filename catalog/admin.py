"""Administration of the catalog (the desk's catalog pages are the usual place to edit it).
Saves and deletes go through catalog.services, with the inlines' rows, so an administrator's
edit is audited and versioned like a catalog manager's."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from catalog import services
from catalog.models import CatalogItem, Category, ItemApprovalStage, TaskTemplate
from core.admin import ServiceWritesAdmin, form_values, handled_by_service


@admin.register(Category)
class CategoryAdmin(ServiceWritesAdmin):
    list_display = ["name", "name_ko", "parent", "order", "active"]
    list_filter = ["active", "parent"]
    search_fields = ["name", "name_ko"]

    def create(self, request, form, obj):
        return services.save_category(None, **self.writer_kwargs(request),
                                      fields=form_values(form, services.CATEGORY_FIELDS))

    def update(self, request, form, obj):
        return services.save_category(obj, **self.writer_kwargs(request),
                                      fields=form_values(form, services.CATEGORY_FIELDS))

    def delete(self, request, obj):
        services.delete_category(obj, **self.writer_kwargs(request))


class ApprovalStageInline(admin.TabularInline):
    model = ItemApprovalStage
    extra = 0


class TaskTemplateInline(admin.StackedInline):
    model = TaskTemplate
    extra = 0


def _rows(formsets, model, names):
    rows = []
    for formset in formsets:
        if formset.model is not model:
            continue
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if data and not data.get("DELETE"):
                row = {name: data.get(name) for name in names}
                if model is TaskTemplate and data.get("id") is not None:
                    row["id"] = data["id"].pk
                rows.append(row)
    return rows


class CatalogItemAdminForm(forms.ModelForm):
    class Meta:
        model = CatalogItem
        fields = "__all__"

    def clean(self):
        data = super().clean()
        try:
            services.check_form(data.get("form_schema") or {}, data.get("form_ui") or {})
        except ValidationError as exc:
            self.add_error("form_schema", exc.message_dict["form_schema"])
        return data


@admin.register(CatalogItem)
class CatalogItemAdmin(ServiceWritesAdmin):
    form = CatalogItemAdminForm
    list_display = ["name", "name_ko", "category", "active", "available_to_everyone", "delivery_time",
                    "times_ordered"]
    list_filter = ["active", "category", "available_to_everyone"]
    search_fields = ["name", "name_ko"]
    list_select_related = ["category"]
    raw_id_fields = ["service"]
    filter_horizontal = ["organisations", "groups"]
    inlines = [ApprovalStageInline, TaskTemplateInline]

    def save_model(self, request, obj, form, change):
        """Saved with its audience, stages and tasks in save_related: one service call."""

    def save_related(self, request, form, formsets, change):
        saved = services.save_item(
            form.instance if change else None, **self.writer_kwargs(request),
            fields=form_values(form, services.ITEM_FIELDS),
            organisations=form.cleaned_data.get("organisations"), groups=form.cleaned_data.get("groups"),
            approval_stages=_rows(formsets, ItemApprovalStage, services.STAGE_FIELDS),
            task_templates=_rows(formsets, TaskTemplate, services.TASK_FIELDS))
        self.adopt(form.instance, saved)
        for formset in formsets:
            handled_by_service(formset)

    def delete(self, request, obj):
        services.delete_item(obj, **self.writer_kwargs(request))
