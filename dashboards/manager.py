"""The manager dashboard's figures, computed in one pass and stored as a snapshot.

Twelve calendar months in the site's time zone (the current one so far), each figure with the
desk list that shows exactly its records. Definitions:

- **Volumes**: incidents, requests, problems and changes *created* in the month.
- **MTTR**: mean wall-clock time from creation to resolution of the incidents *resolved* in the
  month (`resolved_at` in the month); the linked list is those incidents.
- **First-contact resolution**: incidents.measures.first_contact_q (resolved, never reopened,
  never reassigned), as a share of the incidents resolved in the month.
- **SLA breaches**: incidents created in the month with a breached clock (sla.queues.breached_q).
- **SLA attainment per definition**: of the incidents created in the month under a definition
  (a clock of it, not cancelled), the share with no breached clock of that definition.
- **Backlog trend**: incidents in the backlog (incidents.measures.backlog_at_q) at the end of
  each month, and for the current month at the refresh instant.
- **Change success rate**: of the changes whose implementation ended in the month with an
  outcome recorded, the share successful (with or without issues). **Emergency share**: of the
  changes created in the month, the share of type emergency.
- **Top services and CIs**: by incidents created in the last 30 days.
- Satisfaction, VOC and improvements: their apps' selectors, for this month and the last.
"""

from __future__ import annotations

import datetime as dt
import json
import time

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from changes.choices import ChangeType, Outcome
from changes.models import Change
from dashboards.links import day_range, figure, instant, list_url
from dashboards.models import DashboardSnapshot
from fulfilment.models import Request
from improvements.selectors import improvement_summary
from incidents import measures
from incidents.models import Incident
from problems.models import Problem
from sla import queues as sla_queues
from sla.models import SLADefinition
from surveys.selectors import satisfaction
from voc.selectors import voc_summary

NAME = "manager"
MONTHS = 12
TOP = 8
TOP_DAYS = 30
SUCCESS = (Outcome.SUCCESSFUL, Outcome.SUCCESSFUL_WITH_ISSUES)


def month_starts(now, months=MONTHS):
    """The first instants of the last `months` months and of the next one, in the site's zone."""
    local = timezone.localtime(now, timezone.get_default_timezone())
    year, month = local.year, local.month
    starts = []
    for back in range(months - 1, -2, -1):
        y, m = year, month - back
        while m < 1:
            y, m = y - 1, m + 12
        while m > 12:
            y, m = y + 1, m - 12
        starts.append(timezone.make_aware(dt.datetime(y, m, 1), timezone.get_default_timezone()))
    return starts


def _by_month(queryset, field, starts, **aggregates):
    """{month start: {aggregate: value}} for rows whose `field` falls in the window."""
    tz = timezone.get_default_timezone()
    rows = (queryset.filter(**{f"{field}__gte": starts[0], f"{field}__lt": starts[-1]}).order_by()
            .annotate(month=TruncMonth(field, tzinfo=tz)).values("month").annotate(**aggregates))
    return {row["month"]: row for row in rows}


def _series(by_month, starts, key, url_for):
    out = []
    for start, end in zip(starts, starts[1:]):
        value = (by_month.get(start) or {}).get(key) or 0
        out.append(figure(value, url_for(start, end)))
    return out


def _range(prefix, start, end):
    return day_range(prefix, start, end)


def _percent(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def compute(now=None) -> dict:
    # Whole seconds: the links carry the instant to the second, and must select the same rows.
    now = (now or timezone.now()).replace(microsecond=0)
    starts = month_starts(now)
    months = [{"key": timezone.localtime(s, timezone.get_default_timezone()).strftime("%Y-%m"),
               "start": instant(s), "end": instant(e)} for s, e in zip(starts, starts[1:])]

    def incidents(**params):
        return list_url("incidents:incident_list", queue="all", **params)

    # Volumes.
    created = _by_month(Incident.objects.all(), "created_at", starts, n=Count("pk"),
                        breached=Count("pk", filter=sla_queues.breached_q(Incident, now)))
    resolved = _by_month(Incident.objects.all(), "resolved_at", starts, n=Count("pk"),
                         mttr=Avg(F("resolved_at") - F("created_at")),
                         fcr=Count("pk", filter=measures.first_contact_q()))
    requests = _by_month(Request.objects.all(), "created_at", starts, n=Count("pk"))
    problems = _by_month(Problem.objects.all(), "created_at", starts, n=Count("pk"))
    changes = _by_month(Change.objects.all(), "created_at", starts, n=Count("pk"),
                        emergency=Count("pk", filter=Q(type=ChangeType.EMERGENCY)))
    outcomes = _by_month(Change.objects.exclude(outcome=""), "actual_end", starts, n=Count("pk"),
                         ok=Count("pk", filter=Q(outcome__in=SUCCESS)),
                         failed=Count("pk", filter=Q(outcome=Outcome.FAILED)))

    series = {
        "incidents_opened": _series(created, starts, "n", lambda s, e: incidents(**_range("created", s, e))),
        "breached": _series(created, starts, "breached",
                            lambda s, e: incidents(breached=True, **_range("created", s, e))),
        "requests_opened": _series(requests, starts, "n", lambda s, e: list_url(
            "fulfilment:request_list", queue="all", **_range("created", s, e))),
        "problems_opened": _series(problems, starts, "n", lambda s, e: list_url(
            "problems:problem_list", **_range("created", s, e))),
        "changes_opened": _series(changes, starts, "n", lambda s, e: list_url(
            "changes:change_list", **_range("created", s, e))),
        "changes_emergency": _series(changes, starts, "emergency", lambda s, e: list_url(
            "changes:change_list", type=ChangeType.EMERGENCY, **_range("created", s, e))),
        "changes_ended": _series(outcomes, starts, "n", lambda s, e: list_url(
            "changes:change_list", outcome=[o.value for o in Outcome], **_range("ended", s, e))),
        "changes_successful": _series(outcomes, starts, "ok", lambda s, e: list_url(
            "changes:change_list", outcome=[o.value for o in SUCCESS], **_range("ended", s, e))),
        "changes_failed": _series(outcomes, starts, "failed", lambda s, e: list_url(
            "changes:change_list", outcome=Outcome.FAILED.value, **_range("ended", s, e))),
        "incidents_resolved": _series(resolved, starts, "n", lambda s, e: incidents(**_range("resolved", s, e))),
        "first_contact": _series(resolved, starts, "fcr", lambda s, e: incidents(
            first_contact=True, **_range("resolved", s, e))),
    }
    series["mttr_hours"] = [
        round((resolved.get(s) or {}).get("mttr").total_seconds() / 3600, 1)
        if (resolved.get(s) or {}).get("mttr") is not None else None for s in starts[:-1]]
    series["first_contact_percent"] = [_percent(f["value"], r["value"]) for f, r in
                                       zip(series["first_contact"], series["incidents_resolved"])]
    series["change_success_percent"] = [_percent(ok["value"], n["value"]) for ok, n in
                                        zip(series["changes_successful"], series["changes_ended"])]
    series["emergency_percent"] = [_percent(em["value"], n["value"]) for em, n in
                                   zip(series["changes_emergency"], series["changes_opened"])]
    series["backlog"] = _backlog(starts, now, incidents)

    return {
        "now": instant(now),
        "months": months,
        "series": series,
        "sla": _sla_attainment(starts[-3:], now, incidents),
        "top": _top(now, incidents),
        "satisfaction": _selector(satisfaction, starts),
        "voc": _selector(voc_summary, starts),
        "improvements": _selector(improvement_summary, starts),
        "links": {
            "satisfaction": list_url("surveys:responses"),
            "voc": list_url("voc:list"),
            "complaints": list_url("voc:list", kind="complaint"),
            "improvements": list_url("improvements:list"),
        },
    }


def _backlog(starts, now, incidents):
    """Backlog at each month's end (the current month: at `now`), in one query."""
    instants = [min(end, now) for end in starts[1:]]
    counts = Incident.objects.filter(created_at__lt=max(instants)).order_by().aggregate(**{
        f"b{i}": Count("pk", filter=measures.backlog_at_q(at)) for i, at in enumerate(instants)})
    return [figure(counts[f"b{i}"], incidents(open_at=instant(at)), at=instant(at)) for i, at in enumerate(instants)]


def _sla_attainment(starts, now, incidents):
    """Per incident SLA definition, the last two months: under it, breached, attainment %."""
    definitions = list(SLADefinition.objects.filter(ticket_type__app_label="incidents",
                                                    ticket_type__model="incident").order_by("name"))
    if not definitions:
        return []
    window = Incident.objects.filter(created_at__gte=starts[0], created_at__lt=starts[-1]).order_by()
    aggregates = {}
    for d in definitions:
        for i, (start, end) in enumerate(zip(starts, starts[1:])):
            in_month = Q(created_at__gte=start, created_at__lt=end)
            aggregates[f"t{d.pk}_{i}"] = Count("pk", filter=in_month & sla_queues.under_definition_q(Incident, d))
            aggregates[f"b{d.pk}_{i}"] = Count("pk", filter=in_month & sla_queues.breached_q(Incident, now, definition=d))
    counts = window.aggregate(**aggregates)
    rows = []
    for d in definitions:
        months = []
        for i, (start, end) in enumerate(zip(starts, starts[1:])):
            total, breached = counts[f"t{d.pk}_{i}"], counts[f"b{d.pk}_{i}"]
            span = _range("created", start, end)
            months.append({
                "total": figure(total, incidents(sla_definition=d.pk, **span)),
                "breached": figure(breached, incidents(sla_definition=d.pk, breached=True, **span)),
                "percent": _percent(total - breached, total),
            })
        rows.append({"id": d.pk, "name": d.name, "agreement": d.agreement, "months": months})
    return rows


def _top(now, incidents):
    since = now - dt.timedelta(days=TOP_DAYS)
    recent = Incident.objects.filter(created_at__gte=since, created_at__lt=now).order_by()
    out = {"since": instant(since)}
    for key, field in (("services", "service"), ("cis", "configuration_item")):
        rows = (recent.filter(**{f"{field}__isnull": False}).values(field, f"{field}__name")
                .annotate(n=Count("pk")).order_by("-n", f"{field}__name")[:TOP])
        out[key] = [figure(row["n"], incidents(**{field: row[field], "created_after": instant(since),
                                                       "created_before": instant(now)}),
                           name=row[f"{field}__name"]) for row in rows]
    return out


def _selector(function, starts):
    """This month so far and the last month, as the owning app answers them (dates as ISO text:
    the snapshot is JSON)."""
    answers = {"this": function(start=starts[-2], end=starts[-1]), "last": function(start=starts[-3], end=starts[-2])}
    return json.loads(json.dumps(answers, cls=DjangoJSONEncoder))


def refresh(now=None) -> DashboardSnapshot:
    """Recompute the manager figures and store them (the Celery beat task calls this)."""
    started = time.perf_counter()
    now = (now or timezone.now()).replace(microsecond=0)
    data = compute(now)
    duration = int((time.perf_counter() - started) * 1000)
    snapshot, _created = DashboardSnapshot.objects.update_or_create(
        name=NAME, defaults={"data": data, "refreshed_at": now, "duration_ms": duration})
    return snapshot


def latest():
    return DashboardSnapshot.objects.filter(name=NAME).first()
