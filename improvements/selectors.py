"""Read-side questions about the improvement register, asked by dashboards and service reports.

The signatures are a contract between apps: keep them (add keyword arguments freely).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from improvements.choices import OPEN_STATES, ImprovementState
from improvements.models import Improvement

ITEMS_LIMIT = 50


def _scoped(organisation=None, service=None):
    queryset = Improvement.objects.all()
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    if service is not None:
        queryset = queryset.filter(service=service)
    return queryset


def improvement_summary(*, start, end, organisation=None, service=None, today=None) -> dict:
    """Improvement items of that organisation / service: raised in [start, end), open now, closed
    as effective in [start, end), overdue now, and the open ones by source type.

    Returns {"raised": int, "open": int, "closed_effective": int, "overdue": int,
    "by_source": {source_type: n}, "items": [{"id", "number", "title", "state", "owner",
    "due_date", "source_type"}] (the open ones plus those closed in the period, at most 50)}.

    Three queries whatever the size: one aggregate, one group-by, one list. `owner` is the owner's
    display name ("" if none); `today` (default: the local date) decides what is overdue.
    """
    today = today or timezone.localdate()
    scoped = _scoped(organisation, service)
    open_q = Q(state__in=OPEN_STATES)
    closed_in_period = Q(closed_at__gte=start, closed_at__lt=end)
    figures = scoped.aggregate(
        raised=Count("id", filter=Q(created_at__gte=start, created_at__lt=end)),
        open=Count("id", filter=open_q),
        closed_effective=Count("id", filter=Q(state=ImprovementState.CLOSED_EFFECTIVE) & closed_in_period),
        overdue=Count("id", filter=open_q & Q(due_date__lt=today)),
    )
    by_source = dict(scoped.filter(open_q).order_by().values_list("source_type").annotate(n=Count("id")))
    rows = (scoped.filter(open_q | closed_in_period)
            .order_by("priority", "due_date", "-created_at", "-id")
            .values("id", "number", "title", "state", "owner__display_name", "owner__username", "due_date",
                    "source_type")[:ITEMS_LIMIT])
    items = [{"id": row["id"], "number": row["number"], "title": row["title"], "state": row["state"],
              "owner": row["owner__display_name"] or row["owner__username"] or "", "due_date": row["due_date"],
              "source_type": row["source_type"]} for row in rows]
    return {**figures, "by_source": by_source, "items": items}
