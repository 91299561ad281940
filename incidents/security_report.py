"""Figures of the information security incident report (ISO/IEC 20000-1 8.7.3), computed in
PostgreSQL: incidents by month, CIA impact, and the time from flagging to the first notification
of a regulator (KISA or the Personal Information Protection Commission)."""

import datetime as dt

from django.db.models import Aggregate, Count, DurationField, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from incidents.choices import REGULATORS, CIAImpact
from incidents.models import Incident, SecurityNotification

CIA_DIMENSIONS = ("confidentiality_impact", "integrity_impact", "availability_impact")


class Percentile(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, fraction, **extra):
        super().__init__(expression, fraction=fraction, **extra)


def _months_back(today, months):
    first = today.replace(day=1)
    starts = []
    for _ in range(months):
        starts.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(starts))


def with_first_regulator_notice(queryset):
    first = (SecurityNotification.objects.filter(incident=OuterRef("pk"), recipient__in=sorted(REGULATORS))
             .order_by().values("incident").annotate(first=Min("notified_at")).values("first"))
    return queryset.annotate(
        first_regulator_notice=Subquery(first),
        notice_delay=F("first_regulator_notice") - Coalesce("security_flagged_at", "created_at"),
    )


def report(*, months=12, today=None):
    today = today or timezone.localdate()
    starts = _months_back(today, months)
    since = timezone.make_aware(dt.datetime.combine(starts[0], dt.time.min))
    security = Incident.objects.filter(is_security=True)
    recent = security.filter(created_at__gte=since).order_by()
    per_month = {row["month"].date(): row["n"] for row in
                 recent.annotate(month=TruncMonth("created_at")).values("month").annotate(n=Count("pk"))}
    cia = recent.aggregate(**{
        f"{dimension}__{level}": Count("pk", filter=Q(**{dimension: level}))
        for dimension in CIA_DIMENSIONS for level in CIAImpact.values
    })
    delays = with_first_regulator_notice(recent).aggregate(
        notified=Count("pk", filter=Q(first_regulator_notice__isnull=False)),
        median=Percentile("notice_delay", 0.5), p90=Percentile("notice_delay", 0.9),
        longest=Aggregate("notice_delay", function="MAX", output_field=DurationField()),
    )
    listing = (with_first_regulator_notice(security).select_related("assigned_to")
               .annotate(notifications=Count("security_notifications")).order_by("-created_at")[:50])
    return {
        "since": starts[0], "total": recent.count(),
        "months": [(start, per_month.get(start, 0)) for start in starts],
        "cia": [(dimension, [(level, label, cia[f"{dimension}__{level}"]) for level, label in CIAImpact.choices])
                for dimension in CIA_DIMENSIONS],
        "notified": delays["notified"], "median": delays["median"], "p90": delays["p90"],
        "longest": delays["longest"], "incidents": listing,
    }


def hours(delta):
    return None if delta is None else round(delta.total_seconds() / 3600, 1)
