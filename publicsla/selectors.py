"""The monthly evaluation of a public-sector SLA contract, computed from the records (set-based:
a fixed number of queries whatever the number of services, incidents and outages).

Where each figure comes from:
- 가용률: availability.selectors over the contract's services (each service's own service hours
  and planned-maintenance rule); the system's figure is Σ(service − outage) / Σ service minutes.
- 장애조치 시간 per unplanned outage that started in the month: from the earlier of the outage start
  and its incident's creation (장애 접수) to the incident's resolution (조치 완료), or to the outage
  end without an incident (still open: to now).
- SR 적기 처리율: resolution clocks of service requests (for catalog items of the contract's
  services) stopped in the month: met ÷ (met + breached).
- 동일장애 재발률: incidents of the contract's services opened in the month (cancelled ones left
  out); an incident recurs when an earlier one of the month has the same configuration item (the
  service when none) and the same category: (incidents − distinct (CI, category)) ÷ incidents.
- 고객 만족도: survey answers of the month for the contract's services, on surveys' 100-point
  scale (surveys.rules.score_100, as surveys.selectors.satisfaction reports it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DateTimeField, DurationField, ExpressionWrapper, Func, Q, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from availability import rules as availability_rules
from availability.selectors import availability_by_service
from publicsla import rules
from publicsla.models import Contract, Waiver


def contracts_queryset():
    return Contract.objects.prefetch_related("indicators", "services")


def _availability(start, end, service_ids, now):
    figures = availability_by_service(start, end, service_ids, now=now) if service_ids else {}
    service = sum(f["service_minutes"] for f in figures.values())
    outage = sum(f["outage_minutes"] for f in figures.values())
    return service, outage, availability_rules.availability_percent(service, outage)


def restore_times(start, end, service_ids, limit_minutes, now):
    """(number of unplanned outages started in the month, [over-limit rows])."""
    from availability.models import Outage

    outages = Outage.objects.filter(planned=False, service_id__in=service_ids, start__gte=start, start__lt=end)
    began = Least("start", Coalesce("incident__created_at", "start"))
    restored = Coalesce("incident__resolved_at", "end", Value(now, output_field=DateTimeField()))
    timed = outages.annotate(took=ExpressionWrapper(restored - began, output_field=DurationField()))
    total = outages.count()
    late = (timed.filter(took__gt=dt.timedelta(minutes=limit_minutes))
            .values("id", "service_id", "service__name", "start", "incident__number", "took").order_by("start", "id"))
    rows = []
    for row in late:
        minutes = row["took"].total_seconds() / 60
        rows.append({"outage": row["id"], "service": row["service_id"], "service_name": row["service__name"],
                     "start": row["start"], "incident": row["incident__number"] or "",
                     "restore_minutes": round(minutes), "minutes_over": rules.restore_delay(minutes, limit_minutes)})
    return total, [r for r in rows if r["minutes_over"] > 0]


def sr_timeliness(start, end, service_ids):
    from fulfilment.models import Request, RequestItem
    from sla.choices import ClockState
    from sla.models import SLAClock

    requests = RequestItem.objects.filter(catalog_item__service_id__in=service_ids).values("request_id")
    counts = SLAClock.objects.filter(
        content_type=ContentType.objects.get_for_model(Request), kind="resolution", stopped_at__gte=start,
        stopped_at__lt=end, state__in=[ClockState.MET, ClockState.BREACHED], object_id__in=requests,
    ).aggregate(met=Count("id", filter=Q(state=ClockState.MET)), total=Count("id"))
    return counts["total"], _percent(counts["met"], counts["total"])


def recurrence(start, end, service_ids):
    from incidents.models import Incident

    key = Func(Coalesce("configuration_item_id", "service_id"), Coalesce("category_id", Value(0)),
               function="concat_ws", template="concat_ws(':', %(expressions)s)")
    counts = (Incident.objects.filter(created_at__gte=start, created_at__lt=end, service_id__in=service_ids)
              .exclude(state="cancelled").aggregate(n=Count("id"), groups=Count(key, distinct=True)))
    return counts["n"], _percent(counts["n"] - counts["groups"], counts["n"])


def satisfaction(start, end, service_ids):
    from surveys import rules as survey_rules
    from surveys.models import Survey

    rows = dict(Survey.objects.filter(answered_at__gte=start, answered_at__lt=end, service_id__in=service_ids)
                .order_by().values_list("score").annotate(n=Count("id")))
    by_score = {score: rows.get(score, 0) for score in survey_rules.SCORES}
    return sum(by_score.values()), survey_rules.score_100(by_score)


def _percent(part, whole):
    return round(part / whole * 100, 3) if whole else None


def _dec(value):
    return None if value is None else Decimal(str(value))


def evaluate(contract, first_day: dt.date, *, now=None) -> dict:
    """The month's evaluation sheet of a contract (see the module docstring and publicsla.rules)."""
    now = now or timezone.now()
    start, end = availability_rules.month_bounds(first_day, contract.time_zone)
    indicators = list(contract.indicators.all())
    service_ids = [s.pk for s in contract.services.all()]
    service_minutes, outage_minutes, availability = _availability(start, end, service_ids, now)
    restore = next((i for i in indicators if i.kind == "restore"), None)
    limit = int(restore.target) if restore else rules.RESTORE_LIMIT[contract.system_grade]
    per_minute = restore.weight if restore else rules.DEFAULT_SANCTION_PER_MINUTE
    outages, delays = restore_times(start, end, service_ids, limit, now) if service_ids else (0, [])
    measured = {"availability": (None, availability), "restore": (outages, None)}
    kinds = {i.kind for i in indicators}
    if "sr_timeliness" in kinds:
        measured["sr_timeliness"] = sr_timeliness(start, end, service_ids) if service_ids else (0, None)
    if "recurrence" in kinds:
        measured["recurrence"] = recurrence(start, end, service_ids) if service_ids else (0, None)
    if "satisfaction" in kinds:
        measured["satisfaction"] = satisfaction(start, end, service_ids) if service_ids else (0, None)
    sanction = rules.sanction([d["minutes_over"] for d in delays], per_minute)
    results, weighted = [], []
    for i in indicators:
        count, value = measured.get(i.kind, (None, None))
        if i.kind == "restore":
            results.append({"code": i.code, "name": i.name, "kind": i.kind, "required": i.required,
                            "weight": i.weight, "target": i.target, "minimum": i.minimum, "formula": i.formula,
                            "value": len(delays), "count": count, "score": None, "below_minimum": bool(delays)})
            continue
        lower = i.kind in rules.LOWER_IS_BETTER
        score = rules.indicator_score(value, i.target, i.minimum, lower_is_better=lower)
        value = _dec(value)
        below = value is not None and ((value > i.minimum) if lower else (value < i.minimum))
        weighted.append((i.weight, score))
        results.append({"code": i.code, "name": i.name, "kind": i.kind, "required": i.required, "weight": i.weight,
                        "target": i.target, "minimum": i.minimum, "formula": i.formula, "value": value,
                        "count": count, "score": score, "below_minimum": below})
    score = rules.overall_score(weighted, sanction)
    penalty = rules.penalty_percent(score, contract.penalty_bands or rules.DEFAULT_PENALTY_BANDS)
    waived = Waiver.objects.filter(contract=contract, year=first_day.year, month=first_day.month).exists()
    availability_minimum = next((i.minimum for i in indicators if i.kind == "availability"),
                                rules.GRADE_MINIMUM[contract.system_grade])
    return {
        "contract": contract.pk, "contract_name": contract.name, "system_grade": contract.system_grade,
        "month": first_day.strftime("%Y-%m"), "period_start": start, "period_end": end,
        "service_minutes": round(service_minutes, 2), "outage_minutes": round(outage_minutes, 2),
        "availability_percent": _dec(availability),
        "availability_minimum": availability_minimum,
        "availability_below_minimum": availability is not None and Decimal(str(availability)) < availability_minimum,
        "restore_limit_minutes": limit, "sanction_per_minute": per_minute, "unplanned_outages": outages,
        "restore_delays": delays, "sanction": sanction, "indicators": results, "score": score,
        "penalty_percent": penalty, "waived": waived, "monthly_amount": contract.monthly_amount,
        "penalty_amount": rules.penalty_amount(contract.monthly_amount, penalty, waived=waived),
    }
