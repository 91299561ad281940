"""The management review pack (ISO/IEC 20000-1 9.3): every input the standard expects, read from
the apps that own the figures (reused, not recomputed) and frozen as JSON when generated.

Inputs: previous reviews' open actions, KPI trends (the manager dashboard's monthly snapshot:
incidents opened, SLA met %, MTTR), audit results, customer satisfaction (surveys), supplier
performance (suppliers), improvement status (improvements) and risks (entered in the review).
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from assurance import selectors
from assurance.choices import DONE_AUDIT_STATES
from assurance.models import Audit

PACK_VERSION = 1


def _aware(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def _percent(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def kpi_trends(now) -> dict:
    """The monthly series of the manager dashboard's latest snapshot (computed now if there is
    none yet): incidents opened, breached, SLA met %, MTTR hours, change success %."""
    from dashboards import manager

    snapshot = manager.latest()
    data = snapshot.data if snapshot is not None else json.loads(json.dumps(manager.compute(now), cls=DjangoJSONEncoder))
    series = data.get("series", {})

    def values(key):
        return [item.get("value") if isinstance(item, dict) else item for item in series.get(key, [])]

    opened, breached = values("incidents_opened"), values("breached")
    return {
        "as_of": data.get("now"),
        "months": [m.get("key") for m in data.get("months", [])],
        "incidents_opened": opened,
        "breached": breached,
        "sla_met_percent": [_percent((o or 0) - (b or 0), o or 0) for o, b in zip(opened, breached)],
        "mttr_hours": series.get("mttr_hours", []),
        "change_success_percent": series.get("change_success_percent", []),
        "sla_definitions": [{"name": row.get("name"), "percent": [m.get("percent") for m in row.get("months", [])]}
                            for row in data.get("sla", [])],
    }


def audit_results(start, end) -> dict:
    audits = (Audit.objects.filter(state__in=DONE_AUDIT_STATES, performed_date__gte=start, performed_date__lte=end)
              .order_by("performed_date", "id").values("number", "title", "state", "performed_date",
                                                        "independence_conflict"))
    return {"audits": list(audits), "findings": selectors.findings_summary(start, end),
            "open_major_clauses": sorted(selectors.open_major_nonconformity_clause_ids())}


def build(review, *, now=None) -> dict:
    """The pack of `review` for its period, as JSON-ready data."""
    from improvements.selectors import improvement_summary
    from suppliers.selectors import supplier_performance
    from surveys.selectors import satisfaction

    now = now or timezone.now()
    start, end = _aware(review.period_start), _aware(review.period_end + dt.timedelta(days=1))
    today = timezone.localdate(now)
    previous = [{"id": a.id, "review": str(a.review), "title": a.title,
                 "owner": (a.owner.display_name or a.owner.username) if a.owner else "",
                 "due_date": a.due_date, "state": a.state, "overdue": a.overdue}
                for a in selectors.open_review_actions(before=review.held_on, today=today)]
    due = selectors.certification_next_due()
    pack = {
        "version": PACK_VERSION,
        "generated_at": now,
        "period": {"start": review.period_start, "end": review.period_end},
        "previous_actions": previous,
        "kpi": kpi_trends(now),
        "audits": audit_results(review.period_start, review.period_end),
        "satisfaction": satisfaction(start=start, end=end),
        "suppliers": supplier_performance(start, end),
        "improvements": improvement_summary(start=start, end=end, today=today),
        "risks": list(review.risks or []),
        "certification": {"next_kind": due.kind, "next_date": due.date} if due else None,
    }
    return json.loads(json.dumps(pack, cls=DjangoJSONEncoder))
