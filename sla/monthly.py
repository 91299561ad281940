"""The monthly service report, aggregated in PostgreSQL.

Per service and month: tickets opened, resolved and still open at the month's end (backlog), the
mean and 90th-percentile time to resolve, and SLA attainment per target (agreement, response or
resolution, priority); the month's breaches with their reasons; a 12-month trend; totals.

What counts (also in the README, "Reports"):
- Tickets of every type that records a service (incidents); a ticket without one is counted
  under "No service recorded". Types without a service field (problems, changes, releases) are
  in the compliance report, not here.
- Months are calendar months in the report's time zone (reports.default_time_zone(), or the
  chosen organisation's), cut with date_trunc/AT TIME ZONE in the database; generate_series
  gives every month of the trend a row, those without a ticket included.
- Opened: created in the month. Resolved: resolved (or closed without a resolution stamp) in the
  month, cancelled tickets excluded. Backlog: created before the month's end and neither
  resolved, closed nor cancelled by then (a cancelled ticket has no cancel stamp, so it never
  counts as backlog). Time to resolve: wall-clock hours from creation to resolution of the
  tickets resolved in the month (business time is what the SLA attainment measures).
- SLA attainment: clocks counted in the month of their outcome, as in the compliance report.
- The reader's scope (reports.report_scope) keeps only their teams' tickets.

Seven queries whatever the number of tickets: volumes, attainment, the names of the services and
of the agreements, the month's breaches, their clocks and those clocks' events (for the reasons).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Prefetch

from core.tickets import ticket_models
from sla import reports
from sla.choices import ClockState
from sla.models import ClockEvent, SLAClock, SLADefinition

TREND_MONTHS = 12
MAX_BREACHES = 500
NO_SERVICE = "none"  # the `service` parameter that selects tickets without a service


def _has_field(model, name):
    return reports._has_field(model, name)


def _q(name):
    return connection.ops.quote_name(name)


def sources():
    """Ticket types that record a service, with what the report reads from each."""
    found = []
    for model in ticket_models():
        if not _has_field(model, "service"):
            continue
        lifecycle = model.lifecycle
        stamps = [lifecycle.timestamps[s] for s in sorted(lifecycle.resolved) if s in lifecycle.timestamps]
        stamps += [lifecycle.timestamps[s] for s in sorted(lifecycle.terminal - lifecycle.cancelled)
                   if s in lifecycle.timestamps and lifecycle.timestamps[s] not in stamps]
        found.append((model, stamps, sorted(lifecycle.cancelled)))
    return found


def _tickets_sql(scope, organisation):
    """`t`: one row per ticket of a service-recording type, inside the reader's scope."""
    parts, params = [], {}
    for index, (model, stamps, cancelled) in enumerate(sources()):
        table = _q(model._meta.db_table)
        service_column = _q(model._meta.get_field("service").column)
        done = (f"COALESCE({', '.join('x.' + _q(model._meta.get_field(s).column) for s in stamps)})"
                if stamps else "NULL::timestamptz")
        params[f"ct{index}"] = ContentType.objects.get_for_model(model).pk
        params[f"cancelled{index}"] = cancelled
        join, organisation_column = "", "NULL::bigint"
        requester = getattr(model, "REQUESTER_FIELD", None)
        if requester:
            user_model = model._meta.get_field(requester).related_model
            join = (f" LEFT JOIN {_q(user_model._meta.db_table)} r ON r.id = "
                    f"x.{_q(model._meta.get_field(requester).column)}")
            organisation_column = "r.organisation_id"
        conditions = []
        if scope.teams is not None:
            conditions.append("x.assignment_group_id = ANY(%(teams)s::bigint[])")
            params["teams"] = sorted(scope.teams)
        if organisation is not None:
            conditions.append(f"{organisation_column} = %(organisation)s")
            params["organisation"] = organisation
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        parts.append(
            f"SELECT %(ct{index})s::int AS content_type_id, x.id, x.number, x.{service_column} AS service_id, "
            f"x.created_at, {done} AS done_at, x.state = ANY(%(cancelled{index})s::text[]) AS cancelled "
            f"FROM {table} x{join}{where}"
        )
    if not parts:
        parts.append("SELECT NULL::int, NULL::bigint, NULL::varchar, NULL::bigint, NULL::timestamptz, "
                     "NULL::timestamptz, false WHERE false")
    return " UNION ALL ".join(parts), params


def _service_table():
    for model, _stamps, _cancelled in sources():
        return _q(model._meta.get_field("service").related_model._meta.db_table)
    return None


MONTHS_SQL = """
m AS (
    SELECT gs::date AS month, gs AT TIME ZONE %(tz)s AS starts,
           (gs + interval '1 month') AT TIME ZONE %(tz)s AS ends
    FROM generate_series(%(first)s::timestamp, %(last)s::timestamp, interval '1 month') AS gs
)"""


class _Attainment:
    """Breaches and attainment from `clocks` and `met` (a month's figures, a target's)."""

    @property
    def breached(self):
        return self.clocks - self.met

    @property
    def attainment(self):
        return round(100 * self.met / self.clocks, 1) if self.clocks else None


@dataclass
class Figures(_Attainment):
    """One service (or the total) in one month."""

    month: dt.date
    opened: int = 0
    resolved: int = 0
    backlog: int = 0
    mean_hours: float | None = None
    p90_hours: float | None = None
    clocks: int = 0
    met: int = 0


@dataclass
class TargetRow(_Attainment):
    definition: str
    kind: str
    kind_label: str
    priority: int | None
    target_minutes: int
    clocks: int
    met: int


@dataclass
class ServiceRow:
    key: object  # the service's id, NO_SERVICE, or None for the total
    label: str
    month: Figures
    trend: list = field(default_factory=list)
    targets: list = field(default_factory=list)


@dataclass
class MonthlyReport:
    month: dt.date
    time_zone: str
    services: list
    total: ServiceRow
    breaches: list
    months: list

    def row(self, key):
        return next((r for r in self.services if r.key == key), None)


def _hours(seconds):
    return None if seconds is None else round(float(seconds) / 3600, 1)


def _window(month, time_zone, months=TREND_MONTHS):
    first = reports.shift_month(month, -(months - 1))
    start, _ = reports.month_bounds(first, time_zone)
    _, end = reports.month_bounds(month, time_zone)
    return first, start, end


def build(month, *, time_zone=None, scope, organisation=None, kind=None, agreement=None, no_service_label="",
          trend_months=TREND_MONTHS, with_breaches=True):
    """The report for `month` and the 11 months before it (seven queries; none for a scope of nothing).

    `trend_months=1` computes the month alone (the service reports take the earlier months from
    their own frozen snapshots): the trend's window is what the queries' cost grows with.
    `with_breaches=False` leaves the breach list empty for a caller that reads it its own way.
    """
    time_zone = time_zone or reports.default_time_zone()
    first, start, end = _window(month, time_zone, trend_months)
    months = [reports.shift_month(first, i) for i in range(trend_months)]
    if scope.nothing:
        empty = ServiceRow(key=None, label="", month=Figures(month), trend=[Figures(m) for m in months])
        return MonthlyReport(month, time_zone, [], empty, [], months)
    tickets_sql, params = _tickets_sql(scope, organisation)
    params.update(tz=time_zone, first=dt.datetime.combine(first, dt.time()),
                  last=dt.datetime.combine(month, dt.time()), start=start, end=end)
    volumes = _volumes(tickets_sql, params)
    attainment, per_target = _attainment(tickets_sql, params, kind=kind, agreement=agreement)
    names = _service_names({key for key, _m in volumes} | {key for key, _m in attainment})

    def figures(key, m):
        f = volumes.get((key, m)) or Figures(m)
        f.clocks, f.met = attainment.get((key, m), (0, 0))
        return f

    keys = sorted({key for key, _m in volumes} | {key for key, _m in attainment}, key=lambda k: (k is None, str(k)))
    rows = []
    for key in keys:
        if key == "total":
            continue
        label = names.get(key, str(key)) if key is not None else no_service_label
        row = ServiceRow(key=key if key is not None else NO_SERVICE, label=label, month=figures(key, month),
                         trend=[figures(key, m) for m in months],
                         targets=per_target.get(key, []))
        if any(f.opened or f.resolved or f.backlog or f.clocks for f in row.trend):
            rows.append(row)
    rows.sort(key=lambda r: (r.key == NO_SERVICE, r.label.lower()))
    total = ServiceRow(key=None, label="", month=figures("total", month), trend=[figures("total", m) for m in months],
                       targets=per_target.get("total", []))
    breaches = _breaches(tickets_sql, params, kind=kind, agreement=agreement, names=names,
                         no_service_label=no_service_label) if with_breaches else []
    return MonthlyReport(month, time_zone, rows, total, breaches, months)


def _volumes(tickets_sql, params):
    """(service key, month) → Figures; key None is "no service", "total" the total (one query)."""
    sql = f"""
    WITH t AS ({tickets_sql}), {MONTHS_SQL},
    f AS (
        SELECT t.service_id, m.month,
               (t.created_at >= m.starts AND t.created_at < m.ends) AS opened,
               (NOT t.cancelled AND t.done_at >= m.starts AND t.done_at < m.ends) AS resolved,
               (NOT t.cancelled AND (t.done_at IS NULL OR t.done_at >= m.ends)) AS backlog,
               EXTRACT(EPOCH FROM t.done_at - t.created_at) AS seconds
        FROM t JOIN m ON t.created_at < m.ends AND (t.done_at IS NULL OR t.done_at >= m.starts)
    ),
    agg AS (
        SELECT GROUPING(f.service_id) AS is_total, f.service_id, f.month,
               count(*) FILTER (WHERE f.opened) AS opened,
               count(*) FILTER (WHERE f.resolved) AS resolved,
               count(*) FILTER (WHERE f.backlog) AS backlog,
               avg(f.seconds) FILTER (WHERE f.resolved) AS mean_seconds,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY f.seconds) FILTER (WHERE f.resolved) AS p90_seconds
        FROM f GROUP BY GROUPING SETS ((f.service_id, f.month), (f.month))
    ),
    keys AS (SELECT DISTINCT is_total, service_id FROM agg UNION SELECT 1, NULL)
    SELECT keys.is_total, keys.service_id, m.month, COALESCE(agg.opened, 0), COALESCE(agg.resolved, 0),
           COALESCE(agg.backlog, 0), agg.mean_seconds, agg.p90_seconds
    FROM keys CROSS JOIN m
    LEFT JOIN agg ON agg.month = m.month AND agg.is_total = keys.is_total
                 AND agg.service_id IS NOT DISTINCT FROM keys.service_id
    ORDER BY 1, 2, 3
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        result = {}
        for is_total, service_id, month, opened, resolved, backlog, mean, p90 in cursor.fetchall():
            key = "total" if is_total else service_id
            result[(key, month)] = Figures(month, opened, resolved, backlog, _hours(mean), _hours(p90))
        return result


def _clock_filters(kind, agreement, params):
    conditions = []
    if kind:
        conditions.append("c.kind = %(kind)s")
        params["kind"] = kind
    if agreement:
        conditions.append("d.agreement = %(agreement)s")
        params["agreement"] = agreement
    return "".join(f" AND {c}" for c in conditions)


def _attainment(tickets_sql, params, *, kind, agreement):
    """(key, month) → (clocks, met), and key → [TargetRow] for the report's month (one query)."""
    params = dict(params, cancelled_state=ClockState.CANCELLED, met_state=ClockState.MET)
    filters = _clock_filters(kind, agreement, params)
    sql = f"""
    WITH t AS ({tickets_sql}), {MONTHS_SQL},
    c AS (
        SELECT t.service_id, c.definition_id, c.kind, c.priority, c.target_minutes, c.breached_at,
               COALESCE(c.breached_at, c.stopped_at) AS outcome_at
        FROM {_q(SLAClock._meta.db_table)} c
        JOIN t ON t.content_type_id = c.content_type_id AND t.id = c.object_id
        JOIN {_q(SLADefinition._meta.db_table)} d ON d.id = c.definition_id
        WHERE c.state <> %(cancelled_state)s AND (c.breached_at IS NOT NULL OR c.state = %(met_state)s)
          AND COALESCE(c.breached_at, c.stopped_at) >= %(start)s
          AND COALESCE(c.breached_at, c.stopped_at) < %(end)s{filters}
    )
    SELECT GROUPING(c.service_id) AS is_total, GROUPING(c.definition_id) AS all_targets, c.service_id, m.month,
           c.definition_id, c.kind, c.priority, max(c.target_minutes), count(*),
           count(*) FILTER (WHERE c.breached_at IS NULL)
    FROM c JOIN m ON c.outcome_at >= m.starts AND c.outcome_at < m.ends
    GROUP BY GROUPING SETS ((c.service_id, m.month), (m.month),
                            (c.service_id, m.month, c.definition_id, c.kind, c.priority),
                            (m.month, c.definition_id, c.kind, c.priority))
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    per_month, per_target, definition_ids = {}, {}, set()
    for is_total, all_targets, service_id, month, definition_id, clock_kind, priority, target, clocks, met in rows:
        key = "total" if is_total else service_id
        if all_targets:
            per_month[(key, month)] = (clocks, met)
        elif month == params["last"].date():
            per_target.setdefault(key, []).append((definition_id, clock_kind, priority, target, clocks, met))
            definition_ids.add(definition_id)
    names = dict(SLADefinition.objects.filter(pk__in=definition_ids).values_list("pk", "name")) \
        if definition_ids else {}
    from sla.choices import ClockKind

    labels = dict(ClockKind.choices)
    targets = {
        key: sorted((TargetRow(names.get(d, str(d)), k, str(labels.get(k, k)), p, t, n, m) for d, k, p, t, n, m in items),
                    key=lambda r: (r.definition, r.kind, r.priority or 0))
        for key, items in per_target.items()
    }
    return per_month, targets


def _service_names(keys):
    ids = [k for k in keys if isinstance(k, int)]
    table = _service_table()
    if not ids or table is None:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, name FROM {table} WHERE id = ANY(%s)", [ids])
        return dict(cursor.fetchall())


@dataclass
class Breach:
    clock: SLAClock
    number: str
    service_key: object
    service: str
    reason: str = ""


def _breaches(tickets_sql, params, *, kind, agreement, names, no_service_label):
    """Clocks that breached in the report's month, with the ticket, service and reason."""
    month_start, month_end = reports.month_bounds(params["last"].date(), params["tz"])
    params = dict(params, month_start=month_start, month_end=month_end, cancelled_state=ClockState.CANCELLED,
                  limit=MAX_BREACHES)
    filters = _clock_filters(kind, agreement, params)
    sql = f"""
    WITH t AS ({tickets_sql})
    SELECT c.id, t.number, t.service_id
    FROM {_q(SLAClock._meta.db_table)} c
    JOIN t ON t.content_type_id = c.content_type_id AND t.id = c.object_id
    JOIN {_q(SLADefinition._meta.db_table)} d ON d.id = c.definition_id
    WHERE c.state <> %(cancelled_state)s AND c.breached_at >= %(month_start)s
      AND c.breached_at < %(month_end)s{filters}
    ORDER BY c.breached_at, c.id LIMIT %(limit)s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if not found:
        return []
    clocks = SLAClock.objects.select_related("definition").prefetch_related(
        Prefetch("events", queryset=ClockEvent.objects.order_by("at", "id"))).in_bulk([row[0] for row in found])
    result = []
    for clock_id, number, service_id in found:
        clock = clocks[clock_id]
        label = names.get(service_id, str(service_id)) if service_id is not None else no_service_label
        result.append(Breach(clock, number, service_id if service_id is not None else NO_SERVICE, label,
                             reports.breach_reason(clock, list(clock.events.all()))))
    return result


def csv_rows(month, *, time_zone=None, scope, organisation=None, kind=None, agreement=None, service=None,
             no_service_label=""):
    """One row per clock counted in the month (one query): elapsed business minutes at its outcome.

    The count stops at the breach for a breached clock (the breach event's count) and at the stop
    for a met one, so the file says the same whenever it is downloaded; `stopped_at` and the
    minutes at the stop follow for a breached clock the ticket has since stopped. Timestamps are
    ISO 8601 to the second in the report's time zone.
    """
    time_zone = time_zone or reports.default_time_zone()
    if scope.nothing:
        return []
    start, end = reports.month_bounds(month, time_zone)
    tickets_sql, params = _tickets_sql(scope, organisation)
    params.update(start=start, end=end, cancelled_state=ClockState.CANCELLED, met_state=ClockState.MET,
                  breach_kind="breach")
    filters = _clock_filters(kind, agreement, params)
    if service == NO_SERVICE:
        filters += " AND t.service_id IS NULL"
    elif service is not None:
        filters += " AND t.service_id = %(service)s"
        params["service"] = service
    service_table = _service_table()
    if service_table is None:
        return []
    sql = f"""
    WITH t AS ({tickets_sql})
    SELECT s.name, t.service_id, t.number, d.name, c.kind, c.priority, c.target_minutes, c.started_at,
           c.breached_at, c.stopped_at,
           CASE WHEN c.breached_at IS NULL THEN c.elapsed_business_seconds
                ELSE COALESCE((SELECT e.elapsed_business_seconds FROM {_q(ClockEvent._meta.db_table)} e
                               WHERE e.clock_id = c.id AND e.kind = %(breach_kind)s
                               ORDER BY e.at, e.id LIMIT 1), c.target_minutes * 60) END AS at_outcome,
           c.elapsed_business_seconds
    FROM {_q(SLAClock._meta.db_table)} c
    JOIN t ON t.content_type_id = c.content_type_id AND t.id = c.object_id
    JOIN {_q(SLADefinition._meta.db_table)} d ON d.id = c.definition_id
    LEFT JOIN {service_table} s ON s.id = t.service_id
    WHERE c.state <> %(cancelled_state)s AND (c.breached_at IS NOT NULL OR c.state = %(met_state)s)
      AND COALESCE(c.breached_at, c.stopped_at) >= %(start)s
      AND COALESCE(c.breached_at, c.stopped_at) < %(end)s{filters}
    ORDER BY s.name NULLS LAST, COALESCE(c.breached_at, c.stopped_at), c.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    stamp = timestamp_formatter(time_zone)
    return [
        [name if service_id is not None else no_service_label, number, definition, clock_kind, priority, target,
         stamp(started_at), "breached" if breached_at else "met", stamp(breached_at or stopped_at),
         round(at_outcome / 60, 1), stamp(stopped_at), round(elapsed / 60, 1) if stopped_at else None]
        for (name, service_id, number, definition, clock_kind, priority, target, started_at, breached_at, stopped_at,
             at_outcome, elapsed) in rows
    ]


CSV_HEADER = ["service", "ticket", "agreement", "kind", "priority", "target_minutes", "started_at", "outcome",
              "outcome_at", "elapsed_business_minutes", "stopped_at", "elapsed_business_minutes_at_stop"]


def timestamp_formatter(time_zone):
    """ISO 8601 to the second in the report's zone ('' for none): 2026-11-23T10:00:00+09:00."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(time_zone)

    def stamp(value):
        return value.astimezone(zone).replace(microsecond=0).isoformat() if value else ""

    return stamp
