"""Reads of capacity for pages, the API and other apps: daily rollups computed in PostgreSQL.

The CI page shows a year of daily points per metric from one grouped query over the raw samples
(the (metric, at) index bounds it), however often samples arrive.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Avg, Count, Max
from django.db.models.functions import TruncDate
from django.utils import timezone

from capacity import rules
from capacity.models import Metric, MetricSample

CHART_DAYS = 365
FORECAST_DAYS = 90


def daily(metric_ids, *, days=CHART_DAYS, today=None) -> dict[int, list[dict]]:
    """{metric id: [{day, avg, max, count}]} for the last `days` days, oldest first (local days)."""
    today = today or timezone.localdate()
    if not metric_ids:
        return {}
    since = timezone.make_aware(timezone.datetime.combine(today - timedelta(days=days - 1), timezone.datetime.min.time()))
    rows = (MetricSample.objects.filter(metric_id__in=list(metric_ids), at__gte=since)
            .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
            .values("metric_id", "day").annotate(avg=Avg("value"), max=Max("value"), count=Count("id"))
            .order_by("metric_id", "day"))
    found = defaultdict(list)
    for row in rows:
        found[row["metric_id"]].append({"day": row["day"], "avg": row["avg"], "max": row["max"], "count": row["count"]})
    return dict(found)


def forecast_for(metric, points, *, today=None, window=FORECAST_DAYS) -> rules.Forecast:
    """The trend of the daily maxima of the last `window` days."""
    today = today or timezone.localdate()
    start = today - timedelta(days=window)
    recent = [p for p in points if p["day"] > start]
    return rules.forecast([p["day"] for p in recent], [p["max"] for p in recent], maximum=metric.maximum, today=today)


def metrics_of(ci):
    return list(Metric.objects.filter(ci=ci).order_by("key"))


def ci_capacity(ci, *, today=None):
    """What the CI page shows: each metric with its daily rollup and its forecast (two queries)."""
    today = today or timezone.localdate()
    metrics = metrics_of(ci)
    points = daily([m.pk for m in metrics], today=today)
    return [{"metric": m, "points": points.get(m.pk, []), "forecast": forecast_for(m, points.get(m.pk, []), today=today)}
            for m in metrics]


def report(*, today=None, horizon_days=90, used_percent=80.0):
    """Metrics nearing capacity: above `used_percent` of their capacity, at a warning or critical
    level, or forecast full within `horizon_days`; soonest first. Two queries for any number."""
    today = today or timezone.localdate()
    metrics = list(Metric.objects.select_related("ci", "ci__ci_class").order_by("ci__name", "key"))
    points = daily([m.pk for m in metrics], days=FORECAST_DAYS, today=today)
    rows = []
    for metric in metrics:
        result = forecast_for(metric, points.get(metric.pk, []), today=today)
        near = (metric.level != "ok" or (metric.used_percent or 0) >= used_percent
                or (result.days_to_full is not None and result.days_to_full <= horizon_days))
        rows.append({"metric": metric, "forecast": result, "near": near})
    rows.sort(key=lambda r: (not r["near"], r["forecast"].days_to_full if r["forecast"].days_to_full is not None
                             else 10**6, -(r["metric"].used_percent or 0)))
    return rows
