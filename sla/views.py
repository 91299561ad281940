"""Service level pages for desk staff: dashboard, compliance reports, breaches, the monthly
service report (printable and CSV) and a clock's "why" timeline. Thin: reports.py computes."""

from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts import roles
from accounts.models import Organisation
from sla import engine, monthly, queues, reports, trend_chart
from sla.choices import AgreementKind, ClockKind, ClockState
from sla.models import ClockEvent, SLAClock
from core import exports
from core.web import DeskRequiredMixin, int_param


class DeskMixin(DeskRequiredMixin):
    """Service level management is for desk staff."""


class ReportParamsMixin(DeskMixin):
    """month (YYYY-MM), organisation (its time zone decides month boundaries), kind, agreement."""

    def params(self):
        request = self.request
        organisation = None
        org_id = int_param(request, "organisation")
        if org_id:
            organisation = Organisation.objects.filter(pk=org_id).first()
        time_zone = organisation.time_zone if organisation else reports.default_time_zone()
        month = reports.parse_month(request.GET.get("month"), time_zone)
        kind = request.GET.get("kind") if request.GET.get("kind") in ClockKind.values else None
        agreement = request.GET.get("agreement") if request.GET.get("agreement") in AgreementKind.values else None
        return {"month": month, "time_zone": time_zone, "organisation": organisation, "kind": kind,
                "agreement": agreement}

    def common_context(self, params):
        month = params["month"]
        return {
            **params,
            "month_text": month.strftime("%Y-%m"),
            "previous_month": reports.shift_month(month, -1).strftime("%Y-%m"),
            "next_month": reports.shift_month(month, 1).strftime("%Y-%m"),
            "organisations": Organisation.objects.order_by("name"),
            "kinds": ClockKind.choices,
            "agreements": AgreementKind.choices,
        }


class DashboardView(ReportParamsMixin, TemplateView):
    template_name = "sla/dashboard.html"

    def get_context_data(self, **kwargs):
        params = self.params()
        context = super().get_context_data(**kwargs) | self.common_context(params)
        context["live"] = live_cards(self.request.user)
        rows, overall = reports.compliance(params["month"], by="definition", time_zone=params["time_zone"],
                                           organisation=params["organisation"] and params["organisation"].pk,
                                           kind=params["kind"], agreement=params["agreement"])
        context.update(rows=rows, overall=overall,
                       trend=reports.trend(params["month"], 6, time_zone=params["time_zone"]))
        context["recent_breaches"] = list(
            SLAClock.objects.filter(breached_at__isnull=False).select_related("definition", "content_type")
            .order_by("-breached_at")[:10]
        )
        _attach_tickets(context["recent_breaches"])
        return context


def live_cards(user):
    """Per ticket type with a desk queue: its four live numbers, each linking to the list that
    shows exactly those tickets (sla.queues holds the one definition both use)."""
    cards = []
    for page in queues.list_pages():
        counts = queues.dashboard_counts(page.model, page.model.objects.visible_to(user))
        base = reverse(page.url_name)
        cards.append({
            "label": page.model._meta.verbose_name_plural,
            "items": [
                ("breaching_soon", _("Breaching soon"), counts["breaching_soon"], f"{base}?{page.breaching_soon}",
                 "sla-warning"),
                ("breached_open", _("Breached, still open"), counts["breached_open"], f"{base}?{page.breached_open}",
                 "sla-breached"),
                ("running", _("Clock running"), counts["running"], f"{base}?{page.running}", ""),
                ("paused", _("Clock paused"), counts["paused"], f"{base}?{page.paused}", ""),
            ],
        })
    return cards


def _attach_tickets(clocks):
    tickets = reports.ticket_facts(clocks)
    for clock in clocks:
        clock.ticket_obj = tickets.get((clock.content_type_id, clock.object_id))


def _csv_response(filename, header, lines):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 (Korean) correctly with a BOM
    writer = exports.writer(response)
    writer.writerow(header)
    writer.writerows(lines)
    return response


class ComplianceReportView(ReportParamsMixin, TemplateView):
    """Compliance for a month by agreement, priority, group or service.

    Scoped by reports.report_scope: managers and administrators see every ticket's clocks, an
    agent only those of tickets assigned to their teams (nothing if they are in no team).
    """

    template_name = "sla/report.html"

    def get(self, request, *args, **kwargs):
        params = self.params()
        by = request.GET.get("by") if request.GET.get("by") in reports.GROUPINGS else "definition"
        scope = reports.report_scope(request.user)
        rows, overall = reports.compliance(params["month"], by=by, time_zone=params["time_zone"],
                                           organisation=params["organisation"] and params["organisation"].pk,
                                           kind=params["kind"], agreement=params["agreement"], scope=scope)
        if request.GET.get("format") == "csv":
            return _csv_response(
                f"sla-compliance-{params['month']:%Y-%m}-{by}.csv",
                [by, "total", "met", "breached", "compliance_percent", "average_business_minutes"],
                [[r.label, r.total, r.met, r.breached, r.compliance, r.average_minutes] for r in rows]
                + [["TOTAL", overall.total, overall.met, overall.breached, overall.compliance,
                    overall.average_minutes]],
            )
        context = self.get_context_data(**kwargs) | self.common_context(params)
        context.update(rows=rows, overall=overall, by=by, scope=scope, groupings=[
            ("definition", _("Agreement")), ("priority", _("Priority")), ("group", _("Assignment group")),
            ("service", _("Service"))])
        return self.render_to_response(context)


class BreachListView(ReportParamsMixin, TemplateView):
    """Clocks that breached in the month, each with a one-line reason and a link to its timeline."""

    template_name = "sla/breaches.html"

    def get_context_data(self, **kwargs):
        params = self.params()
        context = super().get_context_data(**kwargs) | self.common_context(params)
        start, end = reports.month_bounds(params["month"], params["time_zone"])
        qs = (SLAClock.objects.filter(breached_at__gte=start, breached_at__lt=end)
              .exclude(state=ClockState.CANCELLED)
              .select_related("definition", "content_type")
              .prefetch_related(Prefetch("events", queryset=ClockEvent.objects.order_by("at", "id")))
              .order_by("-breached_at", "-id"))
        if params["kind"]:
            qs = qs.filter(kind=params["kind"])
        if params["agreement"]:
            qs = qs.filter(definition__agreement=params["agreement"])
        clocks = list(qs[:500])
        _attach_tickets(clocks)
        if params["organisation"]:
            clocks = [c for c in clocks if c.ticket_obj is not None
                      and reports.organisation_of(c.ticket_obj) == params["organisation"].pk]
        for clock in clocks:
            clock.reason = reports.breach_reason(clock, list(clock.events.all()))
        context["clocks"] = clocks
        return context


def service_param(request):
    """?service=<id> or ?service=none (tickets without a service); anything else: no selection."""
    value = request.GET.get("service", "")
    if value == monthly.NO_SERVICE:
        return monthly.NO_SERVICE
    return int_param(request, "service")


class ServiceReportView(ReportParamsMixin, TemplateView):
    """Monthly service report per service: printable, and CSV (ISO/IEC 20000-1 9.4 evidence).

    Volumes, backlog, time to resolve, SLA attainment per target, the month's breaches and a
    12-month trend, all aggregated in PostgreSQL (sla.monthly). Reports are for managers: who
    sees which figures is reports.report_scope, the one rule for every report page and CSV:
    managers and administrators see every ticket's figures, an agent only those of tickets
    assigned to their own teams (nothing if they are in no team).
    """

    template_name = "sla/service_report.html"

    def get(self, request, *args, **kwargs):
        params = self.params()
        scope = reports.report_scope(request.user)
        service = service_param(request)
        filters = {"time_zone": params["time_zone"], "scope": scope,
                   "organisation": params["organisation"] and params["organisation"].pk,
                   "kind": params["kind"], "agreement": params["agreement"],
                   "no_service_label": _("No service recorded")}
        if request.GET.get("format") == "csv":
            return _csv_response(
                f"sla-service-report-{params['month']:%Y-%m}{'-' + str(service) if service else ''}.csv",
                monthly.CSV_HEADER, monthly.csv_rows(params["month"], service=service, **filters))
        report = monthly.build(params["month"], **filters)
        selected = report.row(service) if service else None
        shown = selected or report.total
        breaches = [b for b in report.breaches if selected is None or b.service_key == selected.key]
        context = self.get_context_data(**kwargs) | self.common_context(params)
        base_query = urlencode({name: value for name, value in (
            ("month", context["month_text"]), ("organisation", filters["organisation"] or ""),
            ("kind", params["kind"] or ""), ("agreement", params["agreement"] or "")) if value})
        context.update(base_query=base_query, extra_params=[("service", service)] if service else [])
        context.update(report=report, services=report.services, total=report.total, selected=selected,
                       shown=shown, breaches=breaches, chart=trend_chart.build(shown.trend), scope=scope,
                       service_id=service, generated_at=timezone.now(), generated_by=request.user)
        return self.render_to_response(context)


class ClockDetailView(DeskMixin, TemplateView):
    """Why this clock breached (or not): its events with calendar and target in force."""

    template_name = "sla/clock_detail.html"

    def dispatch(self, request, *args, **kwargs):
        # A clock is a record of a ticket: to an end user it does not exist (404, as for any
        # record they may not see), whether or not the id is a clock's.
        if request.user.is_authenticated and not roles.is_agent(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clock = get_object_or_404(SLAClock.objects.select_related("definition", "definition__calendar",
                                                                  "content_type"), pk=kwargs["pk"])
        _attach_tickets([clock])
        context.update(clock=clock, explanation=engine.explain(clock))
        return context
