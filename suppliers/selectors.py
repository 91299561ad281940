"""What other apps (and this app's pages and API) read of suppliers and contracts: scorecards
and supplier performance computed in PostgreSQL, the alignment warnings of contracts, contracts
expiring soon. Every function runs a fixed number of queries, whatever the number of suppliers."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from sla.models import BusinessCalendar, SLADefinition, SLATarget
from suppliers import alignment, scoring
from suppliers.choices import UNDERPINNING, DisputeState
from suppliers.models import Contract, Dispute, Supplier

TICKET_MODELS = (("incidents", "incident"), ("fulfilment", "request"), ("fulfilment", "task"))


def _instant(value):
    """A date is the start of that day in the desk's time zone (a KST quarter starts at 15:00 UTC)."""
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def _date(value):
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def _ticket_union():
    """SELECT content type, id, team, created, resolved over every ticket type assigned to groups."""
    parts = []
    params = []
    for app_label, model in TICKET_MODELS:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        model_class = content_type.model_class()
        table = connection.ops.quote_name(model_class._meta.db_table)
        resolved = "t.resolved_at" if any(f.name == "resolved_at" for f in model_class._meta.fields) else "NULL"
        parts.append(f"SELECT %s AS ct, t.id, t.assignment_group_id AS team_id, t.created_at, "
                     f"{resolved}::timestamptz AS resolved_at FROM {table} t "
                     f"WHERE t.created_at >= %s AND t.created_at < %s "
                     f"AND t.assignment_group_id IN (SELECT team_id FROM sup)")
        params.append(content_type.pk)
    return " UNION ALL ".join(parts), params


SCORECARD_SQL = """
WITH sup AS (
    SELECT id, team_id FROM suppliers_supplier WHERE {where}
), tickets AS (
    {union}
), per_team AS (
    SELECT team_id, count(*) AS tickets,
           avg(extract(epoch FROM resolved_at - created_at) / 60.0)
               FILTER (WHERE resolved_at IS NOT NULL) AS restore_minutes
    FROM tickets GROUP BY team_id
), clocks AS (
    SELECT t.team_id,
           count(*) FILTER (WHERE c.state = 'met' AND c.breached_at IS NULL) AS met,
           count(*) FILTER (WHERE c.state = 'breached' OR c.breached_at IS NOT NULL) AS breached
    FROM tickets t JOIN sla_slaclock c ON c.content_type_id = t.ct AND c.object_id = t.id
    WHERE c.state <> 'cancelled'
    GROUP BY t.team_id
), disputes AS (
    SELECT k.supplier_id, count(*) FILTER (WHERE d.raised_on >= %s AND d.raised_on < %s) AS raised,
           count(*) FILTER (WHERE d.state = 'open' AND d.raised_on < %s) AS open
    FROM suppliers_dispute d JOIN suppliers_contract k ON k.id = d.contract_id
    WHERE k.supplier_id IN (SELECT id FROM sup)
    GROUP BY k.supplier_id
)
SELECT s.id, coalesce(p.tickets, 0), coalesce(c.met, 0), coalesce(c.breached, 0), p.restore_minutes,
       coalesce(d.raised, 0), coalesce(d.open, 0)
FROM sup s
LEFT JOIN per_team p ON p.team_id = s.team_id
LEFT JOIN clocks c ON c.team_id = s.team_id
LEFT JOIN disputes d ON d.supplier_id = s.id
"""


def scorecards(start, end, *, supplier_ids=None) -> dict[int, dict]:
    """Supplier id → its figures for [start, end): tickets assigned to its group, clocks met and
    breached on them, met %, mean restore time of its resolved incidents (minutes), disputes
    raised and still open, the score and its grade. One query."""
    union, ct_params = _ticket_union()
    where = "TRUE" if supplier_ids is None else "id = ANY(%s)"
    sql = SCORECARD_SQL.format(where=where, union=union)
    first, last = _instant(start), _instant(end)
    params = ([list(supplier_ids)] if supplier_ids is not None else [])
    for ct in ct_params:
        params += [ct, first, last]
    start_day, end_day = _date(start), _date(end)
    params += [start_day, end_day, end_day]
    result = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, tickets, met, breached, restore, raised, still_open in cursor.fetchall():
            measured = met + breached
            met_percent = round(100.0 * met / measured, 1) if measured else None
            value = scoring.score(met_percent, raised)
            result[pk] = {"tickets": tickets, "met": met, "breaches": breached, "met_percent": met_percent,
                          "mean_restore_minutes": None if restore is None else round(float(restore)),
                          "disputes": raised, "disputes_open": still_open, "score": value,
                          "grade": scoring.grade(value)}
    return result


def empty_scorecard() -> dict:
    return {"tickets": 0, "met": 0, "breaches": 0, "met_percent": None, "mean_restore_minutes": None,
            "disputes": 0, "disputes_open": 0, "score": None, "grade": scoring.grade(None)}


def supplier_scorecard(supplier, quarter: str) -> dict:
    """The scorecard of one supplier for a quarter label ('2026Q3'); ValueError for a bad label."""
    start, end = scoring.quarter_bounds(quarter)
    figures = scorecards(start, end, supplier_ids=[supplier.pk]).get(supplier.pk) or empty_scorecard()
    return {"supplier": supplier.pk, "quarter": quarter.upper(), "start": start, "end": end, **figures}


def supplier_performance(start, end) -> list[dict]:
    """One row per supplier for the period [start, end): {"supplier", "tickets", "met_percent",
    "disputes_open"} (figures may be None where there is no data). `supplier` is the name;
    `supplier_id`, `breaches`, `mean_restore_minutes`, `disputes`, `score` and `grade` come too."""
    suppliers = list(Supplier.objects.filter(active=True).order_by("name").values_list("pk", "name"))
    figures = scorecards(start, end, supplier_ids=[pk for pk, _name in suppliers]) if suppliers else {}
    rows = []
    for pk, name in suppliers:
        row = figures.get(pk) or empty_scorecard()
        rows.append({"supplier": name, "supplier_id": pk, **row})
    return rows


# --- alignment ---------------------------------------------------------------------------------
def weekly_minutes(calendar) -> int:
    """Working minutes per week of a calendar (its intervals prefetched); 24×7 for none."""
    if calendar is None or calendar.always_open:
        return alignment.WEEK_MINUTES
    total = 0
    for interval in calendar.intervals.all():
        start = interval.start.hour * 60 + interval.start.minute
        end = interval.end.hour * 60 + interval.end.minute or 24 * 60
        total += max(0, end - start)
    return total


def _targets(definition) -> dict:
    return {t.priority: {"response": t.response_minutes, "resolution": t.resolution_minutes}
            for t in definition.targets.all()}


def _calendars(ids) -> dict:
    ids = {pk for pk in ids if pk}
    if not ids:
        return {}
    return {c.pk: c for c in BusinessCalendar.objects.filter(pk__in=ids).prefetch_related("intervals")}


def supported_slas(ticket_type_id=None) -> list[SLADefinition]:
    """The active customer SLAs with their targets (two queries)."""
    qs = SLADefinition.objects.filter(agreement="sla", active=True).prefetch_related(
        Prefetch("targets", queryset=SLATarget.objects.order_by("priority")))
    if ticket_type_id:
        qs = qs.filter(ticket_type_id=ticket_type_id)
    return list(qs)


def alignment_warnings(contracts) -> dict[int, list[dict]]:
    """Contract id → the warnings of the alignment check for each given OLA/UC: targets looser
    than an SLA they support on a shared service. Contracts should come with `definition`
    selected and `services`, `definition__targets` prefetched (contract_queryset() does);
    the SLAs and calendars cost three more queries for any number of contracts."""
    contracts = [c for c in contracts if c.kind in UNDERPINNING and c.definition_id and c.definition.active]
    if not contracts:
        return {}
    slas = supported_slas()
    calendars = _calendars([c.definition.calendar_id for c in contracts] + [d.calendar_id for d in slas])

    def terms(definition, services):
        calendar = calendars.get(definition.calendar_id)
        return alignment.Terms(
            id=definition.pk, name=definition.name, services=services, targets=_targets(definition),
            calendar=definition.calendar_id, calendar_name=calendar.name if calendar else "",
            weekly_minutes=weekly_minutes(calendar),
            priorities=frozenset(definition.applies_to["priorities"]) if definition.applies_to.get("priorities")
            else None)

    sla_terms = [(d.ticket_type_id, terms(d, frozenset(d.applies_to["services"])
                                          if d.applies_to.get("services") else None)) for d in slas]
    result = {}
    for contract in contracts:
        service_ids = frozenset(s.pk for s in contract.services.all()) or None
        ours = terms(contract.definition, service_ids)
        supported = [t for ticket_type, t in sla_terms
                     if ticket_type == contract.definition.ticket_type_id and t.id != contract.definition_id]
        warnings = alignment.check(ours, supported)
        for warning in warnings:
            warning["message"] = alignment.describe(warning)
        result[contract.pk] = warnings
    return result


def contract_queryset():
    """Contracts with what their rows, warnings and targets need, in a fixed number of queries."""
    return (Contract.objects.select_related("supplier", "responsible", "definition", "calendar")
            .prefetch_related("services", "documents",
                              Prefetch("definition__targets", queryset=SLATarget.objects.order_by("priority")))
            .annotate(open_disputes=Count("disputes", filter=Q(disputes__state=DisputeState.OPEN), distinct=True)))


def expiring_contracts(days=90, *, today=None, supplier=None):
    """Contracts still running that end within `days` days, soonest first."""
    qs = contract_queryset().expiring_within(days, today=today)
    if supplier is not None:
        qs = qs.filter(supplier=supplier)
    return qs.order_by("end", "id")


def disputes_for(supplier):
    return Dispute.objects.filter(contract__supplier=supplier).select_related("contract").order_by("-raised_on", "-id")
