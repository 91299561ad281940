"""Read-side questions about the voice of the customer, asked by dashboards and service reports.

The signatures are a contract between apps: keep them (add keyword arguments freely).
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils import timezone

from voc.choices import OPEN_STATES, VocKind


def _scope(queryset, organisation, service):
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    if service is not None:
        queryset = queryset.filter(service=service)
    return queryset


def voc_summary(*, start, end, organisation=None, service=None, now=None) -> dict:
    """VOC records received in [start, end) for that organisation / service.

    Returns {"received": int, "by_kind": {"complaint": n, "suggestion": n, "compliment": n,
    "inquiry": n}, "open_complaints": int (open now, any age), "overdue_complaints": int,
    "responded_in_time_percent": float | None}.

    "Responded in time" is the share of the period's records with a response that came by their
    due date (records without a response yet are not counted). Two queries.
    """
    from voc.models import Voc

    now = now or timezone.now()
    received = _scope(Voc.objects.filter(created_at__gte=start, created_at__lt=end), organisation, service)
    figures = received.order_by().aggregate(
        received=Count("id"),
        responded=Count("id", filter=Q(responded_at__isnull=False)),
        in_time=Count("id", filter=Q(responded_at__isnull=False) & (Q(due_at__isnull=True)
                                                                    | Q(responded_at__lte=F("due_at")))),
        **{kind: Count("id", filter=Q(kind=kind)) for kind in VocKind.values},
    )
    complaints = _scope(Voc.objects.filter(kind=VocKind.COMPLAINT, state__in=OPEN_STATES), organisation, service)
    open_now = complaints.order_by().aggregate(open=Count("id"),
                                               overdue=Count("id", filter=Q(due_at__lt=now)))
    return {
        "received": figures["received"],
        "by_kind": {kind: figures[kind] for kind in VocKind.values},
        "open_complaints": open_now["open"],
        "overdue_complaints": open_now["overdue"],
        "responded_in_time_percent": (round(100 * figures["in_time"] / figures["responded"], 1)
                                      if figures["responded"] else None),
    }
