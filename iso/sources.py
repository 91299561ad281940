"""The evidence sources of the apps that were there before the `iso` app: registered here (iso is
the top layer and may import them all), so that none of them has to know about ISO clauses.
Newer apps (documents, assurance, suppliers, availability, capacity, continuity) register their own.

KPI callables are kpi(start, end) -> [{"name", "value", "unit", "target"}], computed in PostgreSQL
by the selectors those apps already have, or by one aggregate here.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _, gettext_lazy

from core import evidence


def _sla_met(start, end, model_label=None):
    from django.contrib.contenttypes.models import ContentType
    from django.apps import apps
    from django.db.models.functions import Coalesce
    from sla.choices import ClockState
    from sla.models import SLAClock

    clocks = (SLAClock.objects.exclude(state=ClockState.CANCELLED)
              .filter(Q(breached_at__isnull=False) | Q(state=ClockState.MET))
              .annotate(outcome_at=Coalesce("breached_at", "stopped_at"))
              .filter(outcome_at__gte=start, outcome_at__lt=end))
    if model_label:
        clocks = clocks.filter(content_type=ContentType.objects.get_for_model(apps.get_model(model_label)))
    figures = clocks.aggregate(total=Count("id"), breached=Count("id", filter=Q(breached_at__isnull=False)))
    total = figures["total"]
    met = round(100 * (total - figures["breached"]) / total, 1) if total else None
    return [{"name": _("SLA targets met"), "value": met, "unit": "%", "target": 95},
            {"name": _("SLA clocks with an outcome"), "value": total, "unit": "", "target": None}]


def incident_kpis(start, end):
    from incidents.models import Incident

    opened = Incident.objects.filter(created_at__gte=start, created_at__lt=end).count()
    return [{"name": _("Incidents opened"), "value": opened, "unit": "", "target": None},
            *_sla_met(start, end, "incidents.Incident")]


def request_kpis(start, end):
    return _sla_met(start, end, "fulfilment.Request")


def service_level_kpis(start, end):
    return _sla_met(start, end)


def satisfaction_kpis(start, end):
    from surveys.selectors import satisfaction

    figures = satisfaction(start=start, end=end)
    return [{"name": _("Customer satisfaction (scores 4–5)"), "value": figures["csat_percent"], "unit": "%",
             "target": 80},
            {"name": _("Survey response rate"), "value": figures["response_rate"], "unit": "%", "target": None},
            {"name": _("Survey responses"), "value": figures["responses"], "unit": "", "target": None}]


def improvement_kpis(start, end):
    from improvements.selectors import improvement_summary

    figures = improvement_summary(start=start, end=end)
    return [{"name": _("Improvements raised"), "value": figures["raised"], "unit": "", "target": None},
            {"name": _("Closed as effective"), "value": figures["closed_effective"], "unit": "", "target": None},
            {"name": _("Open"), "value": figures["open"], "unit": "", "target": None},
            {"name": _("Overdue"), "value": figures["overdue"], "unit": "", "target": 0}]


def _kind(kind):
    def queryset():
        from improvements.models import Improvement

        return Improvement.objects.filter(kind=kind)
    return queryset


def _answered_surveys():
    from surveys.models import Survey

    return Survey.objects.filter(answered_at__isnull=False)


def register():
    from improvements.choices import Kind

    r = evidence.register
    r("7.6", "knowledge.Article", label=gettext_lazy("Knowledge articles"))
    r("8.2.4", "catalog.CatalogItem", label=gettext_lazy("Catalogue items"))
    r("8.2.6", "cmdb.ConfigurationItem", label=gettext_lazy("Configuration items"))
    r("8.2.6", "cmdb.Relationship", label=gettext_lazy("CI relationships"))
    r("8.3.2", "surveys.Survey", date_field="answered_at", label=gettext_lazy("Survey responses"),
      queryset=_answered_surveys, kpi=satisfaction_kpis)
    r("8.3.2", "voc.Voc", label=gettext_lazy("Voice of the customer"))
    r("8.3.3", "sla.SLADefinition", label=gettext_lazy("SLA definitions"), kpi=service_level_kpis)
    r("8.3.3", "reports.ServiceReport", date_field="generated_at", label=gettext_lazy("Service reports"))
    r("8.5.1", "changes.Change", label=gettext_lazy("Changes"))
    r("8.5.3", "releases.Release", label=gettext_lazy("Releases"))
    r("8.6.1", "incidents.Incident", label=gettext_lazy("Incidents"), kpi=incident_kpis)
    r("8.6.2", "fulfilment.Request", label=gettext_lazy("Service requests"), kpi=request_kpis)
    r("8.6.3", "problems.Problem", label=gettext_lazy("Problems and known errors"))
    r("9.1", "monitoring.Alert", date_field="first_seen", label=gettext_lazy("Monitoring alerts"))
    r("9.1", "dashboards.DashboardSnapshot", date_field="refreshed_at", label=gettext_lazy("Dashboard snapshots"))
    r("9.4", "reports.ServiceReport", date_field="generated_at", label=gettext_lazy("Service reports"))
    r("10.1", "improvements.Improvement", label=gettext_lazy("Corrective actions"),
      queryset=_kind(Kind.CORRECTIVE_ACTION), kpi=improvement_kpis)
    r("10.2", "improvements.Improvement", label=gettext_lazy("Improvements"),
      queryset=_kind(Kind.IMPROVEMENT), kpi=improvement_kpis)
