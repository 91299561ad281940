"""The figures of a monthly service report, computed once and frozen as JSON.

Everything a report shows is in the snapshot, so the page, the PDF and the XLSX render the
same numbers whenever they are opened, whatever happens to the tickets afterwards. Labels
(states, kinds, headings) are not frozen: they are translated when rendered, so one snapshot
reads in Korean and in English. Breach reasons are sentences built from clock events, so both
languages are frozen.

What counts (ISO/IEC 20000-1 9.4, for one organisation, optionally one service):
- Incidents: those whose caller belongs to the organisation; volumes, time to resolve and SLA
  attainment per target come from sla.monthly (clocks counted in the month of their outcome,
  months cut in the organisation's time zone); the month's breaches are read here from the
  clocks by breach instant (see _month_breaches), at most 500, with their reasons.
- The 12-month trend repeats, for each earlier month that has its own report, that report's
  published row; only when all eleven exist is the report month computed alone (the cost of the
  SLA queries grows with the window), otherwise the whole window is computed live.
- Requests: those requested for someone of the organisation (a service: one of its items is a
  catalog item of that service).
- Changes are not recorded per organisation: those impacting the service, or all changes when
  the report is for every service. Implemented: reached review in the month (actual_end);
  success rate: successful (with or without issues) among those with an outcome.
- Problems: those linked to an incident of the organisation (and service).
- Availability is not measured yet (no outage records): the section says so.
- Satisfaction, VOC and improvement items: their apps' selectors, as they answer.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation

from changes.choices import ChangeType, Outcome
from changes.models import Change
from fulfilment.choices import RequestState
from fulfilment.models import Request
from improvements.selectors import improvement_summary
from incidents.models import Incident
from problems.choices import OPEN_STATES
from problems.models import Problem
from sla import monthly
from sla import reports as sla_reports
from sla.choices import ClockState
from sla.models import ClockEvent, SLAClock
from surveys.selectors import satisfaction_by_period
from voc.selectors import voc_summary

SCHEMA = 1
LANGUAGES = ("en", "ko")
SUCCESS = (Outcome.SUCCESSFUL, Outcome.SUCCESSFUL_WITH_ISSUES)


def bounds(first_day: dt.date, time_zone: str):
    return sla_reports.month_bounds(first_day, time_zone)


def _pct(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _iso(value):
    return value.isoformat() if value else None


def _month_key(value, zone):
    return value.astimezone(zone).strftime("%Y-%m") if value else None


def build(*, organisation, service=None, month: dt.date, now=None) -> dict:
    """The snapshot of `organisation`'s report for `month` (first day), for `service` or all."""
    started = time.monotonic()
    zone_name = organisation.time_zone or sla_reports.default_time_zone()
    zone = ZoneInfo(zone_name)
    start, end = bounds(month, zone_name)
    first = sla_reports.shift_month(month, -(monthly.TREND_MONTHS - 1))
    trend_start, _ = bounds(first, zone_name)
    months = [sla_reports.shift_month(first, i) for i in range(monthly.TREND_MONTHS)]

    published = _published_trend(organisation, service, first, month)
    # Every earlier month already has its frozen report: compute this month alone (the cost of
    # the SLA queries grows with the window) and repeat the published figures for the others.
    trend_months = 1 if len(published) == len(months) - 1 else monthly.TREND_MONTHS
    report = monthly.build(month, time_zone=zone_name, scope=sla_reports.Scope(None),
                           organisation=organisation.pk, trend_months=trend_months, with_breaches=False)
    row = report.row(service.pk) if service else report.total
    if row is None:
        row = monthly.ServiceRow(key=service.pk, label=service.name, month=monthly.Figures(month),
                                 trend=[monthly.Figures(m) for m in months[-trend_months:]])
    breaches, truncated = _month_breaches(organisation, service, start, end)

    incidents = _incidents(organisation, service, start, end)
    requests = _requests(organisation, service, trend_start, start, end, zone)
    changes = _changes(service, trend_start, start, end, zone)
    selector_scope = {"organisation": organisation.pk, "service": service.pk if service else None}
    csat_trend = satisfaction_by_period(
        [(m.strftime("%Y-%m"), *bounds(m, zone_name)) for m in months if m.strftime("%Y-%m") not in published],
        **selector_scope)

    key = month.strftime("%Y-%m")
    snapshot = {
        "schema": SCHEMA,
        "period": {"month": key, "start": month.isoformat(), "end": (end.astimezone(zone).date()
                                                                     - dt.timedelta(days=1)).isoformat(),
                   "time_zone": zone_name, "starts_at": start.isoformat(), "ends_at": end.isoformat()},
        "organisation": {"id": organisation.pk, "name": organisation.name, "code": organisation.code},
        "service": {"id": service.pk, "name": service.name} if service else None,
        "generated_at": (now or timezone.now()).astimezone(zone).isoformat(),
        "volumes": {
            "incidents": {**incidents, "opened": row.month.opened, "resolved": row.month.resolved,
                          "backlog": row.month.backlog, "mean_hours": row.month.mean_hours,
                          "p90_hours": row.month.p90_hours},
            "requests": requests["month"],
        },
        "services": [
            {"id": r.key if isinstance(r.key, int) else None, "name": r.label or "", "opened": r.month.opened,
             "resolved": r.month.resolved, "backlog": r.month.backlog, "clocks": r.month.clocks,
             "met": r.month.met, "breached": r.month.breached, "attainment": r.month.attainment}
            for r in report.services if service is None or r.key == service.pk
        ],
        "sla": {
            "clocks": row.month.clocks, "met": row.month.met, "breached": row.month.breached,
            "attainment": row.month.attainment,
            "targets": [{"definition": t.definition, "kind": t.kind, "priority": t.priority,
                         "target_minutes": t.target_minutes, "clocks": t.clocks, "met": t.met,
                         "breached": t.breached, "attainment": t.attainment} for t in row.targets],
            "breaches": _breaches(breaches, zone_name),
            "breaches_truncated": truncated,
        },
        "availability": {"measured": False},
        "changes": changes["month"],
        "problems": _problems(organisation, service, start, end),
        "satisfaction": _plain(csat_trend[key]),
        "voc": _plain(voc_summary(start=start, end=end, **selector_scope)),
        "improvements": _plain(improvement_summary(start=start, end=end, **selector_scope)),
        "trend": _trend(months, row, published, requests, changes, csat_trend),
    }
    snapshot["generation_seconds"] = round(time.monotonic() - started, 3)
    return snapshot


def _published_trend(organisation, service, first, month):
    """Month → that month's own row of the trend in its frozen report, for [first, month)."""
    from reports.models import ServiceReport

    rows = (ServiceReport.objects.filter(kind="monthly", organisation=organisation, service=service,
                                         period_start__gte=first, period_start__lt=month)
            .values_list("period_start", "snapshot__trend"))
    found = {}
    for period_start, trend in rows:
        key = period_start.strftime("%Y-%m")
        own = [t for t in trend or [] if t.get("month") == key]
        if own:
            found[key] = {**own[0], "published": True}
    return found


def _trend(months, row, published, requests, changes, csat_trend):
    """Twelve months: the published figures of months with a frozen report, the rest computed now."""
    computed = {f.month.strftime("%Y-%m"): f for f in row.trend}
    out = []
    for m in months:
        key = m.strftime("%Y-%m")
        if key in published and key != months[-1].strftime("%Y-%m"):
            out.append(published[key])
            continue
        f = computed.get(key) or monthly.Figures(m)
        out.append({"month": key, "incidents_opened": f.opened, "incidents_resolved": f.resolved,
                    "backlog": f.backlog, "mean_hours": f.mean_hours, "clocks": f.clocks, "breached": f.breached,
                    "attainment": f.attainment, "requests_opened": requests["trend"].get(key, 0),
                    "changes_implemented": changes["trend"].get(key, 0),
                    "csat_percent": csat_trend[key].get("csat_percent"), "score_100": csat_trend[key].get("score_100"),
                    "published": False})
    return out


def _plain(value):
    """JSON-safe copy of a selector's answer (dates as ISO text, keys as text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def _incidents(organisation, service, start, end):
    """Incidents opened in the month by priority (the rest of the volumes come from sla.monthly)."""
    qs = Incident.objects.filter(caller__organisation=organisation, created_at__gte=start, created_at__lt=end)
    if service:
        qs = qs.filter(service=service)
    by_priority = {str(p): 0 for p in range(1, 6)}
    for priority, count in qs.order_by().values_list("priority").annotate(n=Count("id")):
        by_priority[str(priority)] = count
    return {"by_priority": by_priority}


def _requests(organisation, service, trend_start, start, end, zone):
    qs = Request.objects.filter(requested_for__organisation=organisation)
    if service:
        qs = qs.filter(pk__in=Request.objects.filter(items__catalog_item__service=service).values("pk"))
    rows = (qs.filter(created_at__gte=trend_start, created_at__lt=end).order_by()
            .annotate(m=TruncMonth("created_at", tzinfo=zone)).values("m").annotate(n=Count("id")))
    trend = {_month_key(r["m"], zone): r["n"] for r in rows}
    figures = qs.aggregate(
        opened=Count("id", filter=Q(created_at__gte=start, created_at__lt=end)),
        fulfilled=Count("id", filter=Q(fulfilled_at__gte=start, fulfilled_at__lt=end)),
        open_at_end=Count("id", filter=Q(created_at__lt=end) & ~Q(state__in=[
            RequestState.FULFILLED, RequestState.CLOSED, RequestState.REJECTED, RequestState.CANCELLED])
            | Q(created_at__lt=end, fulfilled_at__gte=end)),
    )
    return {"month": figures, "trend": trend}


def _changes(service, trend_start, start, end, zone):
    qs = Change.objects.all()
    if service:
        qs = qs.filter(impacted_services__contains=[service.pk])
    rows = (qs.filter(actual_end__gte=trend_start, actual_end__lt=end).order_by()
            .annotate(m=TruncMonth("actual_end", tzinfo=zone)).values("m").annotate(n=Count("id")))
    trend = {_month_key(r["m"], zone): r["n"] for r in rows}
    in_month = Q(actual_end__gte=start, actual_end__lt=end)
    figures = qs.aggregate(
        raised=Count("id", filter=Q(created_at__gte=start, created_at__lt=end)),
        implemented=Count("id", filter=in_month),
        with_outcome=Count("id", filter=in_month & ~Q(outcome="")),
        successful=Count("id", filter=in_month & Q(outcome__in=SUCCESS)),
        failed=Count("id", filter=in_month & Q(outcome__in=[Outcome.FAILED, Outcome.BACKED_OUT])),
        emergency=Count("id", filter=in_month & Q(type=ChangeType.EMERGENCY)),
    )
    figures["success_rate"] = _pct(figures["successful"], figures["with_outcome"])
    figures["emergency_share"] = _pct(figures["emergency"], figures["implemented"])
    figures["scope"] = "service" if service else "all"
    return {"month": figures, "trend": trend}


def _problems(organisation, service, start, end):
    linked = Incident.objects.filter(caller__organisation=organisation)
    if service:
        linked = linked.filter(service=service)
    qs = Problem.objects.filter(pk__in=Problem.incidents.through.objects.filter(
        incident__in=linked.values("pk")).values("problem_id"))
    open_states = sorted(OPEN_STATES)
    return qs.aggregate(
        opened=Count("id", filter=Q(created_at__gte=start, created_at__lt=end)),
        resolved=Count("id", filter=Q(resolved_at__gte=start, resolved_at__lt=end)),
        open_at_end=Count("id", filter=Q(created_at__lt=end, state__in=open_states)),
        known_errors=Count("id", filter=Q(created_at__lt=end, known_error=True, state__in=open_states)),
    )


def _month_breaches(organisation, service, start, end):
    """The incidents' clocks of the organisation (and service) that breached in the month, oldest
    first, at most monthly.MAX_BREACHES (and whether there were more).

    Driven from the clocks by their breach instant (an index, migration 0002), then the month's
    breached tickets are kept if they are the organisation's: PostgreSQL, asked in one join,
    walked every incident of the organisation instead (5 s at 120,000 incidents).
    """
    content_type = ContentType.objects.get_for_model(Incident)
    candidates = dict(SLAClock.objects.filter(content_type=content_type, breached_at__gte=start, breached_at__lt=end)
                      .exclude(state=ClockState.CANCELLED).values_list("pk", "object_id"))
    tickets = Incident.objects.filter(pk__in=set(candidates.values()), caller__organisation=organisation)
    if service:
        tickets = tickets.filter(service=service)
    tickets = dict((pk, (number, service_name or ""))
                   for pk, number, service_name in tickets.values_list("pk", "number", "service__name"))
    ids = [pk for pk, ticket in candidates.items() if ticket in tickets]
    clocks = list(SLAClock.objects.filter(pk__in=ids).select_related("definition").prefetch_related(
        Prefetch("events", queryset=ClockEvent.objects.order_by("at", "id"))).order_by("breached_at", "id")
        [:monthly.MAX_BREACHES])
    return [(clock, *tickets[clock.object_id]) for clock in clocks], len(ids) > monthly.MAX_BREACHES


def _breaches(breaches, zone_name):
    rows = []
    for clock, number, service_name in breaches:
        events = list(clock.events.all())
        reason = {}
        with timezone.override(zone_name):
            for language in LANGUAGES:
                with translation.override(language):
                    reason[language] = sla_reports.breach_reason(clock, events)
        rows.append({"number": number, "service": service_name, "definition": clock.definition.name,
                     "kind": clock.kind, "priority": clock.priority, "target_minutes": clock.target_minutes,
                     "breached_at": _iso(clock.breached_at and clock.breached_at.astimezone(ZoneInfo(zone_name))),
                     "reason": reason})
    return rows
