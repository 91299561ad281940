"""Agent desk pages of the CMDB: list, detail (relationships, tickets, history, dependency
picture, impact), create/edit driven by the class schema, import and export."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from accounts import roles
from core.choices import Channel
from core.exceptions import DomainError
from cmdb import graph, imports, picture, services
from cmdb.choices import (
    REVERSE_LABELS,
    Direction,
)
from cmdb.filtersets import ConfigurationItemFilterSet
from cmdb.forms import ConfigurationItemForm, ImportForm, RelationshipForm
from cmdb.models import CIClass, ConfigurationItem, ImportJob, Relationship
from cmdb.schema import property_label, property_names
from cmdb.selectors import ci_timeline, tickets_on
from core.ticket_views import TicketListView
from core.web import DeskRequiredMixin, int_param, parse_id, query_value

PAGE_SIZES = (10, 25, 50, 100)


class DeskMixin(DeskRequiredMixin):
    """CMDB pages are for desk staff; the queryset still starts from `visible_to`."""

    def cis(self):
        return ConfigurationItem.objects.visible_to(self.request.user)


def _style_filter_form(form):
    for field in form.fields.values():
        widget = field.widget
        css = "form-select form-select-sm" if widget.input_type == "select" or getattr(
            widget, "allow_multiple_selected", False) else "form-control form-control-sm"
        widget.attrs.setdefault("class", css)
        if getattr(widget, "allow_multiple_selected", False):
            widget.attrs.setdefault("size", min(len(getattr(field, "choices", [])) or 4, 5))
    return form


def _filtered(request, queryset):
    filterset = ConfigurationItemFilterSet(request.GET or None, queryset=queryset, request=request)
    _style_filter_form(filterset.form)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs


class CIListView(DeskMixin, TicketListView):
    filterset_class = ConfigurationItemFilterSet
    template_name = "cmdb/ci_list.html"
    rows_template_name = "cmdb/partials/_ci_rows.html"
    default_ordering = ("name", "id")
    page_sizes = PAGE_SIZES
    bind_empty_query = False
    context_object_name = "cis"

    def get_queryset(self):
        return self.cis().select_related("ci_class", "owner_group")

    def style_filter_form(self, form):
        _style_filter_form(form)

    def get_extra_context(self, params, page):
        return {"page_sizes": PAGE_SIZES, "page_size": self.get_page_size(params)}


class CIDetailView(DeskMixin, View):
    SERVICES_SHOWN = 25

    def get(self, request, pk):
        ci = get_object_or_404(self.cis().select_related("ci_class", "owner_group"), pk=pk)
        if request.htmx and request.GET.get("panel") == "services":
            # Loaded after the page: on a core device the walk to the services is the slow part.
            services = graph.business_services_impacted([ci.pk])
            response = render(request, "cmdb/partials/_services.html", {
                "services": services[:self.SERVICES_SHOWN],
                "more": max(0, len(services) - self.SERVICES_SHOWN), "total": len(services)})
        else:
            response = render(request, "cmdb/ci_detail.html", self.context(ci))
        patch_vary_headers(response, ["HX-Request"])
        return response

    def context(self, ci, relationship_form=None):
        request = self.request
        direction = query_value(request, "direction", forms.ChoiceField(choices=Direction.choices),
                                Direction.DOWNSTREAM)
        depth = int_param(request, "depth", 3, min_value=1, max_value=graph.MAX_DEPTH)
        outgoing = ci.outgoing.select_related("target__ci_class").order_by("type", "target__name")
        incoming = ci.incoming.select_related("source__ci_class").order_by("type", "source__name")
        schema = ci.ci_class.attribute_schema or {}
        properties = schema.get("properties") or {}
        order = {name: index for index, name in enumerate(property_names(schema))}
        attributes = [
            (property_label(key, properties.get(key)), value)
            for key, value in sorted((ci.attributes or {}).items(), key=lambda kv: (order.get(kv[0], 999), kv[0]))
        ]
        return {
            "ci": ci, "attributes": attributes,
            "outgoing": outgoing, "incoming": incoming, "reverse_labels": REVERSE_LABELS,
            "tickets": tickets_on(ci, request.user), "timeline": ci_timeline(ci),
            "picture": picture.ci_picture(ci, page_url=reverse("cmdb:ci_dependencies", args=[ci.pk]),
                                          queryset=self.cis()),
            "impact": graph.impact_of([ci.pk], direction, depth, queryset=self.cis())[:200],
            "impact_direction": direction, "impact_depth": depth, "directions": Direction.choices,
            "relationship_form": relationship_form or RelationshipForm(),
        }


class CIDependenciesView(DeskMixin, View):
    """The dependency picture of one CI on a page of its own, filling the window; wide levels
    are expanded here (`?expand=<level>`, repeatable)."""

    def get(self, request, pk):
        ci = get_object_or_404(self.cis().select_related("ci_class"), pk=pk)
        return render(request, "cmdb/dependencies.html", {
            "picture": picture.ci_picture(ci, expand=request.GET.getlist("expand"),
                                          page_url=reverse("cmdb:ci_dependencies", args=[ci.pk]),
                                          queryset=self.cis()),
            "fullpage": True, "subject": ci.name, "back_url": ci.get_absolute_url(),
            "back_label": ci.ci_class.display_name, "heading": _("Dependencies of %(name)s") % {"name": ci.name},
        })


class CIFormView(DeskMixin, View):
    """Create and edit a CI; the attribute fields follow the chosen class's JSON Schema."""

    template_name = "cmdb/ci_form.html"

    def get_ci(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            return ConfigurationItem()
        return get_object_or_404(self.cis().select_related("ci_class"), pk=pk)

    def chosen_class(self, data, ci):
        raw = data.get("ci_class")
        if raw:
            found = CIClass.objects.filter(pk=parse_id(raw)).first() if parse_id(raw) else \
                CIClass.objects.filter(slug=str(raw).replace("\x00", "")).first()
            if found:
                return found
        return ci.ci_class if ci.ci_class_id else None

    def get(self, request, pk=None):
        ci = self.get_ci()
        form = ConfigurationItemForm(instance=ci, ci_class=self.chosen_class(request.GET, ci))
        return self.render(form, ci)

    def post(self, request, pk=None):
        ci = self.get_ci()
        form = ConfigurationItemForm(request.POST, instance=ci, ci_class=self.chosen_class(request.POST, ci))
        if form.is_valid():
            fields = form.service_fields()
            try:
                if ci.pk:
                    ci, _diff = services.update_ci(ci, actor=request.user, channel=Channel.WEB, changes=fields,
                                                   expected_version=form.cleaned_data.get("version"),
                                                   authorised_by=request.POST.get("authorised_by") or None)
                else:
                    ci = services.create_ci(actor=request.user, channel=Channel.WEB,
                                            authorised_by=request.POST.get("authorised_by") or None, **fields)
            except ValidationError as exc:
                form.add_service_errors(exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Saved %(ci)s.") % {"ci": ci})
                if request.htmx:
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = ci.get_absolute_url()
                    return response
                return redirect(ci)
        return self.render(form, ci, status=400)

    def render(self, form, ci, status=200):
        response = render(self.request, self.template_name, {"form": form, "ci": ci}, status=status)
        patch_vary_headers(response, ["HX-Request"])
        return response


class RelationshipAddView(DeskMixin, View):
    def post(self, request, pk):
        ci = get_object_or_404(self.cis().select_related("ci_class", "owner_group"), pk=pk)
        form = RelationshipForm(request.POST, queryset=self.cis())
        if form.is_valid():
            other = form.cleaned_data["other"]
            source, target = (ci, other) if form.cleaned_data["side"] == "out" else (other, ci)
            try:
                services.add_relationship(source=source, target=target, type=form.cleaned_data["type"],
                                          actor=request.user, channel=Channel.WEB,
                                          authorised_by=form.cleaned_data["authorised_by"] or None)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Relationship added."))
                return redirect(ci)
        view = CIDetailView()
        view.request = request
        return render(request, "cmdb/ci_detail.html", view.context(ci, relationship_form=form), status=400)


class RelationshipDeleteView(DeskMixin, View):
    def post(self, request, pk):
        rel = get_object_or_404(Relationship.objects.select_related("source", "target"), pk=pk)
        back = request.POST.get("ci")
        visible = self.cis()
        if not visible.filter(pk=rel.source_id).exists() or not visible.filter(pk=rel.target_id).exists():
            raise Http404
        services.remove_relationship(rel, actor=request.user, channel=Channel.WEB,
                                     authorised_by=request.POST.get("authorised_by") or None)
        messages.success(request, _("Relationship removed."))
        ci_id = parse_id(back) or rel.source_id
        return redirect("cmdb:ci_detail", pk=ci_id)


class ImportView(DeskMixin, View):
    template_name = "cmdb/import.html"

    def get(self, request):
        return self.render(ImportForm())

    def render(self, form, status=200):
        jobs = ImportJob.objects.filter(created_by=self.request.user).select_related("created_by")[:10]
        return render(self.request, self.template_name, {"form": form, "jobs": jobs}, status=status)

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        job = services.create_import_job(
            actor=request.user, channel=Channel.WEB, kind=data["kind"], format=data["format"],
            filename=data["file"].name, payload=data["text"], dry_run=data["dry_run"],
            skip_bad_rows=data["skip_bad_rows"], authorised_by=data["authorised_by"],
        )
        imports.start(job, actor=request.user, channel=Channel.WEB)
        return redirect("cmdb:import_job", pk=job.pk)


class ImportJobView(DeskMixin, View):
    def get(self, request, pk):
        job = get_object_or_404(ImportJob, pk=pk, created_by=request.user) if not roles.is_admin(request.user) \
            else get_object_or_404(ImportJob, pk=pk)
        template = "cmdb/partials/_import_job.html" if request.htmx else "cmdb/import_job.html"
        response = render(request, template, {"job": job})
        patch_vary_headers(response, ["HX-Request"])
        return response

    def post(self, request, pk):
        """Run a previewed (dry-run) import for real."""
        job = get_object_or_404(ImportJob, pk=pk, created_by=request.user, dry_run=True)
        new = services.create_import_job(
            actor=request.user, channel=Channel.WEB, kind=job.kind, format=job.format, filename=job.filename,
            payload=job.payload, dry_run=False,
            skip_bad_rows=request.POST.get("skip_bad_rows") == "on" or job.skip_bad_rows,
            authorised_by=job.authorised_by,
        )
        imports.start(new, actor=request.user, channel=Channel.WEB)
        return redirect("cmdb:import_job", pk=new.pk)


class ExportView(DeskMixin, View):
    """The filtered CI list (or the relationships among it) as CSV or JSON."""

    def get(self, request):
        fmt = request.GET.get("format", "csv")
        if fmt not in ("csv", "json"):
            fmt = "csv"
        kind = request.GET.get("kind", "cis")
        _filterset, queryset = _filtered(request, self.cis())
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        if kind == "relationships":
            rels = Relationship.objects.filter(source__in=queryset.values("pk"))
            records, columns, name = imports.relationship_records(rels), imports.REL_COLUMNS, "relationships"
        else:
            records, columns, name = imports.ci_records(queryset), imports.CI_COLUMNS, "cis"
        if fmt == "json":
            response = StreamingHttpResponse(imports.json_chunks(records), content_type="application/json")
        else:
            response = StreamingHttpResponse(imports.csv_lines(records, columns), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="cmdb-{name}-{stamp}.{fmt}"'
        return response

