"""What other apps read of availability: the month's figures of every service in one SQL
statement (range_agg over tstzrange per service, intersected with the month and with the
service hours of each service's calendar), MTBF, MTRS and target status.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from availability import conf, rules

# One statement for every service: the unplanned outages (and, separately, the planned ones)
# of each service are merged with range_agg, so overlapping records never count twice, then
# intersected with the service window: the month, or the month's service hours when the
# service has a calendar (passed in as one multirange per calendar).
_MONTH_SQL = """
WITH month AS (SELECT tstzmultirange(tstzrange(%(start)s, %(end)s, '[)')) AS r),
hours AS (
    SELECT calendar_id, hours
    FROM unnest(%(calendar_ids)s::bigint[], %(calendar_hours)s::tstzmultirange[]) AS h(calendar_id, hours)
),
svc AS (
    SELECT s.id AS service_id, sa.calendar_id, COALESCE(sa.planned_policy, 'exclude') AS policy,
           COALESCE(sa.target_percent, %(target)s) AS target, COALESCE(sa.warning_percent, %(warning)s) AS warning,
           sa.mtrs_target_minutes AS mtrs_target,
           COALESCE(h.hours * month.r, month.r) AS win
    FROM unnest(%(service_ids)s::bigint[]) AS s(id)
    CROSS JOIN month
    LEFT JOIN availability_serviceavailability sa ON sa.service_id = s.id
    LEFT JOIN hours h ON h.calendar_id = sa.calendar_id
),
o AS (
    SELECT o.service_id,
           range_agg(tstzrange(o.start, COALESCE(o."end", %(now)s), '[)')) FILTER (WHERE NOT o.planned) AS down,
           range_agg(tstzrange(o.start, COALESCE(o."end", %(now)s), '[)')) FILTER (WHERE o.planned) AS maint,
           count(*) FILTER (WHERE NOT o.planned) AS failures
    FROM availability_outage o
    WHERE o.service_id = ANY(%(service_ids)s::bigint[])
      AND TSTZRANGE(o.start, o."end", '[)') && tstzrange(%(start)s, %(end)s, '[)')
      AND o.start < %(now)s
    GROUP BY o.service_id
),
figures AS (
    SELECT svc.*, COALESCE(o.failures, 0) AS failures,
           COALESCE(o.down, '{}'::tstzmultirange) * svc.win AS down_in,
           (COALESCE(o.maint, '{}'::tstzmultirange) * svc.win) - COALESCE(o.down, '{}'::tstzmultirange) AS maint_in
    FROM svc LEFT JOIN o ON o.service_id = svc.service_id
)
SELECT service_id, policy, target, warning, mtrs_target, failures,
       (SELECT COALESCE(sum(extract(epoch FROM upper(x) - lower(x))), 0) FROM unnest(win) x) / 60.0,
       (SELECT COALESCE(sum(extract(epoch FROM upper(x) - lower(x))), 0) FROM unnest(down_in) x) / 60.0,
       (SELECT COALESCE(sum(extract(epoch FROM upper(x) - lower(x))), 0) FROM unnest(maint_in) x) / 60.0
FROM figures
"""


def _multirange_literal(spans) -> str:
    return "{" + ",".join(f"[{s.isoformat()},{e.isoformat()})" for s, e in spans) + "}"


def _service_hours(month_start, month_end, service_ids):
    """{calendar id: multirange literal of its working spans in the month} for the calendars the
    services use (a handful of calendars, however many services)."""
    from sla.calendars import calendar_value
    from sla.clock import working_spans
    from sla.models import BusinessCalendar

    from availability.models import ServiceAvailability

    ids = ServiceAvailability.objects.filter(service_id__in=service_ids, calendar__isnull=False) \
        .values_list("calendar_id", flat=True).distinct() if service_ids is not None else \
        ServiceAvailability.objects.filter(calendar__isnull=False).values_list("calendar_id", flat=True).distinct()
    calendars = BusinessCalendar.objects.filter(pk__in=list(ids))
    return {c.pk: _multirange_literal(working_spans(calendar_value(c), month_start, month_end)) for c in calendars}


def _all_service_ids():
    from cmdb.models import ConfigurationItem

    return list(ConfigurationItem.objects.business_services().values_list("pk", flat=True))


def availability_by_service(month_start, month_end, service_ids=None, *, now=None) -> dict:
    """{service_id: {"service_minutes", "outage_minutes", "availability_percent", "planned_minutes",
    "failures", "mtbf_minutes", "mtrs_minutes", "target_percent", "warning_percent", "mtrs_target_minutes",
    "status"}} for [month_start, month_end). Without `service_ids`, every business service.

    Minutes are floats; availability_percent is None when the service had no service minutes.
    Open outages count up to `now`. Three queries, whatever the number of services and outages."""
    now = now or timezone.now()
    ids = list(service_ids) if service_ids is not None else _all_service_ids()
    if not ids:
        return {}
    hours = _service_hours(month_start, month_end, ids)
    params = {
        "start": month_start, "end": month_end, "now": max(min(now, month_end), month_start),
        "service_ids": ids, "calendar_ids": list(hours), "calendar_hours": list(hours.values()),
        "target": conf.DEFAULT_TARGET_PERCENT, "warning": conf.DEFAULT_WARNING_PERCENT,
    }
    with connection.cursor() as cursor:
        cursor.execute(_MONTH_SQL, params)
        rows = cursor.fetchall()
    result = {}
    for service_id, policy, target, warning, mtrs_target, failures, window, down, maint in rows:
        window, down, maint = float(window), float(down), float(maint)
        if policy == "count":
            service_minutes, outage_minutes, planned_minutes = window, down + maint, maint
        else:
            service_minutes, outage_minutes, planned_minutes = window - maint, down, maint
        percent = rules.availability_percent(service_minutes, outage_minutes)
        result[service_id] = {
            "service_minutes": round(service_minutes, 2),
            "outage_minutes": round(outage_minutes, 2),
            "availability_percent": percent,
            "planned_minutes": round(planned_minutes, 2),
            "failures": failures,
            "mtbf_minutes": rules.mtbf(service_minutes, outage_minutes, failures),
            "mtrs_minutes": rules.mtrs(outage_minutes, failures),
            "target_percent": float(target),
            "warning_percent": float(warning),
            "mtrs_target_minutes": mtrs_target,
            "status": rules.target_status(percent, target, warning),
        }
    return result


def month_report(first_day, service_ids=None, *, time_zone=rules.DEFAULT_TIME_ZONE, now=None):
    """(start, end, figures) of a calendar month in the organisation's zone."""
    start, end = rules.month_bounds(first_day, time_zone)
    return start, end, availability_by_service(start, end, service_ids, now=now)


def outages_between(start, end, service_ids=None):
    """The outages overlapping [start, end), oldest first, with service and incident."""
    from availability.models import Outage

    qs = Outage.objects.filter(start__lt=end).exclude(end__lte=start).select_related("service", "incident")
    if service_ids is not None:
        qs = qs.filter(service_id__in=service_ids)
    return qs.order_by("start", "id")
