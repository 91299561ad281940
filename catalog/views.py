"""Desk pages of the service catalog: categories, items, each item's request form (an editor with
a live preview) and its plan (approval stages, fulfilment tasks). Every desk member reads them;
catalog managers (accounts.permissions.can_manage_catalog) write, through catalog.services with
the version the form was read at."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts import permissions
from catalog import services
from catalog.filtersets import CatalogItemFilterSet
from catalog.form_editor import definition_from_rows
from catalog.formschema import build_form, check_form_definition, item_fields
from catalog.forms import CategoryForm, ItemForm, field_rows_formset, plan_formsets
from catalog.models import CatalogItem, Category, TaskTemplate
from core.choices import Channel
from core.exceptions import DomainError, StaleVersion
from core.ticket_views import TicketListView
from core.web import DeskRequiredMixin, form_error, htmx_redirect


class CatalogReadMixin(DeskRequiredMixin):
    """Read for the whole desk; `can_write` tells the templates whether to offer edits."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_write"] = permissions.can_manage_catalog(self.request.user)
        return context


class CatalogWriteMixin(DeskRequiredMixin):
    """Edit pages: an agent is refused (403) before anything is read or validated."""

    def permitted(self, user):
        return permissions.can_manage_catalog(user)


def _refused(form, exc):
    """A refusal from the service onto the form: 409 for a stale version, 400 for the rest."""
    if isinstance(exc, StaleVersion):
        form.add_error(None, exc.message)
        return 409
    form_error(form, exc)
    return 400


# --- categories ----------------------------------------------------------------------------------

class CategoryListView(CatalogReadMixin, TemplateView):
    template_name = "catalog/category_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        children = Category.objects.annotate(item_count=Count("items")).order_by("order", "name")
        context["categories"] = list(Category.objects.filter(parent__isnull=True)
                                     .annotate(item_count=Count("items"))
                                     .prefetch_related(Prefetch("children", queryset=children))
                                     .order_by("order", "name"))
        return context


class CategoryFormView(CatalogWriteMixin, View):
    template_name = "catalog/category_form.html"

    def get_category(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(Category, pk=pk) if pk else None

    def get(self, request, pk=None):
        category = self.get_category()
        return self.render(CategoryForm(instance=category), category)

    def post(self, request, pk=None):
        category = self.get_category()
        form = CategoryForm(request.POST, instance=category or Category())
        status = 400
        if form.is_valid():
            try:
                category = services.save_category(category, actor=request.user, channel=Channel.WEB,
                                                  fields=form.service_fields(),
                                                  expected_version=form.cleaned_data.get("version"))
            except (ValidationError, DomainError) as exc:
                status = _refused(form, exc)
            else:
                messages.success(request, _("Saved category %(name)s.") % {"name": category.display_name})
                return htmx_redirect(request, reverse("catalog:category_list"))
        return self.render(form, category, status=status)

    def render(self, form, category, status=200):
        return render(self.request, self.template_name, {"form": form, "category": category}, status=status)


# --- items ---------------------------------------------------------------------------------------

class ItemListView(TicketListView):
    filterset_class = CatalogItemFilterSet
    template_name = "catalog/item_list.html"
    rows_template_name = "catalog/partials/_item_rows.html"
    paginate_by = 50
    bind_empty_query = False
    context_object_name = "items"

    def get_queryset(self):
        return (CatalogItem.objects.select_related("category__parent", "service")
                .annotate(stage_count=Count("approval_stages", distinct=True),
                          task_count=Count("task_templates", distinct=True))
                .order_by("category__parent__order", "category__order", "name", "id"))

    def get_extra_context(self, params, page):
        return {"can_write": permissions.can_manage_catalog(self.request.user)}


def _item(pk):
    return get_object_or_404(CatalogItem.objects.select_related("category__parent", "service"), pk=pk)


class ItemDetailView(CatalogReadMixin, TemplateView):
    template_name = "catalog/item_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = _item(kwargs["pk"])
        context.update(
            item=item, fields=item_fields(item), preview=build_form(item, user=self.request.user, prefix="preview"),
            problems=check_form_definition(item.form_schema, item.form_ui),
            organisations=item.organisations.order_by("name"), groups=item.groups.order_by("name"),
            stages=item.approval_stages.select_related("group").order_by("order"),
            tasks=item.task_templates.select_related("assignment_group", "change_template"),
        )
        return context


class ItemFormView(CatalogWriteMixin, View):
    """Create an item or edit its own fields (the form and the plan have pages of their own)."""

    template_name = "catalog/item_form.html"

    def get_item(self):
        pk = self.kwargs.get("pk")
        return _item(pk) if pk else None

    def get(self, request, pk=None):
        item = self.get_item()
        initial = {}
        category = request.GET.get("category")
        if item is None and category and category.isdigit():
            initial["category"] = category
        return self.render(ItemForm(instance=item, initial=initial), item)

    def post(self, request, pk=None):
        item = self.get_item()
        form = ItemForm(request.POST, request.FILES, instance=item)
        status = 400
        if form.is_valid():
            fields = form.service_fields()
            if fields.get("picture") is False:
                fields["picture"] = ""
            try:
                item = services.save_item(item, actor=request.user, channel=Channel.WEB, fields=fields,
                                          organisations=form.cleaned_data["organisations"],
                                          groups=form.cleaned_data["groups"],
                                          expected_version=form.cleaned_data.get("version"))
            except (ValidationError, DomainError) as exc:
                status = _refused(form, exc)
            else:
                messages.success(request, _("Saved item %(name)s.") % {"name": item.display_name})
                return htmx_redirect(request, item.get_absolute_url())
        return self.render(form, item, status=status)

    def render(self, form, item, status=200):
        return render(self.request, self.template_name, {"form": form, "item": item}, status=status)


class FormEditorView(CatalogWriteMixin, View):
    """The request form of an item: one row per question, a live preview beside it."""

    template_name = "catalog/form_editor.html"

    def get(self, request, pk):
        item = _item(pk)
        formset = field_rows_formset(item=item)
        return self.render(item, formset, item.version, preview=build_form(item, user=request.user, prefix="preview"))

    def post(self, request, pk):
        item = _item(pk)
        version = request.POST.get("version")
        adding = "add_field" in request.POST
        formset = field_rows_formset(request.POST)
        if adding:
            # Another empty row: the rows typed so far are shown again as they were, nothing saved.
            data = request.POST.copy()
            data["fields-TOTAL_FORMS"] = str(int(data.get("fields-TOTAL_FORMS") or 0) + 1)
            formset = field_rows_formset(data)
            return self.render(item, formset, version, preview=_preview(formset, item, request.user)[0])
        errors, status = [], 400
        if formset.is_valid():
            schema, ui = definition_from_rows(formset.rows(), old_schema=item.form_schema, old_ui=item.form_ui)
            try:
                services.save_item(item, actor=request.user, channel=Channel.WEB,
                                   fields={"form_schema": schema, "form_ui": ui}, expected_version=version or None)
            except StaleVersion as exc:
                errors, status = [exc.message], 409
            except (ValidationError, DomainError) as exc:
                errors = exc.messages if isinstance(exc, ValidationError) else [exc.message]
            else:
                messages.success(request, _("Saved the request form of %(name)s.") % {"name": item.display_name})
                return htmx_redirect(request, item.get_absolute_url())
        preview, problems = _preview(formset, item, request.user)
        return self.render(item, formset, version, preview=preview, errors=errors or problems, status=status)

    def render(self, item, formset, version, *, preview, errors=(), status=200):
        return render(self.request, self.template_name, {
            "item": item, "formset": formset, "version": version, "preview": preview, "errors": errors},
            status=status)


def _preview(formset, item, user):
    """The form as the rows being edited would render it, and the definition's problems."""
    formset.is_valid()
    rows = [form.cleaned_data for form in formset.forms
            if getattr(form, "cleaned_data", None) and form.cleaned_data.get("name") and not form.errors
            and not form.cleaned_data.get("DELETE")]
    rows.sort(key=lambda r: (r.get("ORDER") is None, r.get("ORDER") or 0))
    names = [r["name"] for r in rows]
    rows = [r for i, r in enumerate(rows) if r["name"] not in names[:i]]
    schema, ui = definition_from_rows(rows, old_schema=item.form_schema, old_ui=item.form_ui)
    problems = check_form_definition(schema, ui)
    draft = CatalogItem(name=item.name, form_schema=schema, form_ui=ui)
    return build_form(draft, user=user, prefix="preview"), problems


class FormPreviewView(CatalogWriteMixin, View):
    """The live preview (htmx): the editor's rows, as typed, rendered as the portal will."""

    def post(self, request, pk):
        item = _item(pk)
        preview, problems = _preview(field_rows_formset(request.POST), item, request.user)
        return render(request, "catalog/partials/_form_preview.html", {"preview": preview, "problems": problems})


class ItemPlanView(CatalogWriteMixin, View):
    """Approval stages and fulfilment tasks of an item, edited together."""

    template_name = "catalog/item_plan.html"

    def get(self, request, pk):
        item = _item(pk)
        stages, tasks = plan_formsets(item=item)
        return self.render(item, stages, tasks, item.version)

    def post(self, request, pk):
        item = _item(pk)
        stages, tasks = plan_formsets(request.POST, item=item)
        version = request.POST.get("version")
        errors, status = [], 400
        if stages.is_valid() & tasks.is_valid():
            try:
                services.save_item(item, actor=request.user, channel=Channel.WEB, approval_stages=stages.rows(),
                                   task_templates=tasks.rows(), expected_version=version or None)
            except StaleVersion as exc:
                errors, status = [exc.message], 409
            except ValidationError as exc:
                errors = [m for key in ("approval_stages", "task_templates", "__all__")
                          for m in exc.message_dict.get(key, [])] or exc.messages
            except DomainError as exc:
                errors = [exc.message]
            else:
                messages.success(request, _("Saved the approvals and fulfilment plan of %(name)s.")
                                 % {"name": item.display_name})
                return htmx_redirect(request, item.get_absolute_url())
        return self.render(item, stages, tasks, version, errors=errors, status=status)

    def render(self, item, stages, tasks, version, *, errors=(), status=200):
        return render(self.request, self.template_name, {
            "item": item, "stages": stages, "tasks": tasks, "version": version, "errors": errors,
            "task_model": TaskTemplate}, status=status)
