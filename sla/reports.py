"""Service level reporting: compliance per month by priority, group, service or agreement.

Months are calendar months in the organisation's time zone (Asia/Seoul by default): a KST
month starts at 15:00 UTC the day before. A clock counts in the month of its outcome: the
month it breached, or the month it stopped met. Cancelled clocks never count.
A fixed number of queries whatever the number of clocks (one for clocks, one per ticket type).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from accounts import roles
from sla.choices import ClockState
from sla.models import SLAClock

GROUPINGS = ("definition", "priority", "group", "service")


def default_time_zone():
    """The zone report months are cut in: SLA_REPORT_TIME_ZONE, else the site's TIME_ZONE (Asia/Seoul).

    One zone for the whole report (an organisation filter uses that organisation's zone), not each
    agreement's calendar zone: a month must mean the same instants for every row and total.
    """
    return getattr(settings, "SLA_REPORT_TIME_ZONE", None) or settings.TIME_ZONE or "Asia/Seoul"


@dataclass(frozen=True)
class Scope:
    """Whose figures a reader may see in a report: every team's (teams None) or these teams'."""

    teams: frozenset | None

    @property
    def everything(self):
        return self.teams is None

    @property
    def nothing(self):
        return self.teams is not None and not self.teams

    def allows(self, team_id):
        return self.teams is None or team_id in self.teams


def report_scope(user) -> Scope:
    """Reports are for managers: the one rule every report page, CSV and API answer applies.

    Managers and administrators see every ticket's figures. An agent sees the figures of the
    tickets assigned to their own assignment groups (teams) only, and nothing if they are in no
    team; tickets without an assignment group count only for managers. Anyone else sees nothing.
    """
    if roles.is_manager(user):
        return Scope(None)
    if roles.is_agent(user):
        return Scope(frozenset(user.teams.values_list("pk", flat=True)))
    return Scope(frozenset())


def parse_month(text, time_zone=None):
    """'2026-11' → (first day as date); today's month when empty or malformed."""
    zone = ZoneInfo(time_zone or default_time_zone())
    try:
        year, month = (int(part) for part in str(text).split("-", 1))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        today = dt.datetime.now(zone).date()
        return today.replace(day=1)


def month_bounds(first_day: dt.date, time_zone: str):
    """[start, end) of a calendar month in a zone, as aware instants."""
    zone = ZoneInfo(time_zone)
    next_first = (first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    start = dt.datetime.combine(first_day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(next_first, dt.time(), tzinfo=zone)
    return start, end


def shift_month(first_day: dt.date, months: int) -> dt.date:
    index = first_day.year * 12 + first_day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Row:
    key: object
    label: str
    total: int = 0
    met: int = 0
    breached: int = 0
    elapsed: int = 0
    clocks: list = field(default_factory=list)

    @property
    def compliance(self):
        return round(100 * self.met / self.total, 2) if self.total else None

    @property
    def average_minutes(self):
        return round(self.elapsed / self.total / 60, 1) if self.total else None


def month_clocks(first_day, *, time_zone=None, definition=None, kind=None, agreement=None):
    """Clocks whose outcome (breach or met stop) falls in the month."""
    start, end = month_bounds(first_day, time_zone or default_time_zone())
    qs = (
        SLAClock.objects.exclude(state=ClockState.CANCELLED)
        .filter(Q(breached_at__isnull=False) | Q(state=ClockState.MET))
        .annotate(outcome_at=Coalesce("breached_at", "stopped_at"))
        .filter(outcome_at__gte=start, outcome_at__lt=end)
        .select_related("definition", "definition__calendar")
        .order_by("outcome_at", "id")
    )
    if definition:
        qs = qs.filter(definition=definition)
    if kind:
        qs = qs.filter(kind=kind)
    if agreement:
        qs = qs.filter(definition__agreement=agreement)
    return list(qs)


def ticket_facts(clocks):
    """(content_type_id, object_id) → the ticket (group, service, requester's organisation loaded)."""
    by_type = defaultdict(set)
    for clock in clocks:
        by_type[clock.content_type_id].add(clock.object_id)
    facts = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        related = [name for name in ("assignment_group", "service") if _has_field(model, name)]
        requester = getattr(model, "REQUESTER_FIELD", None)
        if requester:
            related.append(requester)
        for ticket in model._default_manager.select_related(*related).filter(pk__in=ids):
            facts[(content_type_id, ticket.pk)] = ticket
    return facts


def _has_field(model, name):
    try:
        model._meta.get_field(name)
        return True
    except FieldDoesNotExist:
        return False


def live_elapsed(clock, now):
    """Business seconds counted so far (a breached clock still open keeps counting)."""
    from sla.engine import elapsed_at

    return elapsed_at(clock, now)


def organisation_of(ticket):
    requester_field = getattr(type(ticket), "REQUESTER_FIELD", None)
    requester = getattr(ticket, requester_field, None) if requester_field else None
    return getattr(requester, "organisation_id", None)


def compliance(first_day, *, by="definition", time_zone=None, organisation=None, service=None, kind=None,
               agreement=None, scope=None):
    """Rows of total/met/breached per key, plus the overall row, for the month (within `scope`)."""
    if by not in GROUPINGS:
        by = "definition"
    clocks = month_clocks(first_day, time_zone=time_zone, kind=kind, agreement=agreement)
    tickets = ticket_facts(clocks)
    now = timezone.now()
    for clock in clocks:
        clock.live_elapsed = live_elapsed(clock, now)
    rows, overall = {}, Row(key=None, label="")
    for clock in clocks:
        ticket = tickets.get((clock.content_type_id, clock.object_id))
        if organisation is not None and (ticket is None or organisation_of(ticket) != organisation):
            continue
        if service is not None and getattr(ticket, "service_id", None) != service:
            continue
        if scope is not None and not scope.allows(getattr(ticket, "assignment_group_id", None)):
            continue
        key, label = _key(by, clock, ticket)
        row = rows.setdefault(key, Row(key=key, label=label))
        for target in (row, overall):
            target.total += 1
            target.elapsed += clock.live_elapsed
            if clock.breached_at is not None:
                target.breached += 1
            else:
                target.met += 1
        row.clocks.append((clock, ticket))
    ordered = sorted(rows.values(), key=lambda r: (r.key is None, str(r.label)))
    return ordered, overall


def _key(by, clock, ticket):
    if by == "priority":
        return clock.priority, f"P{clock.priority}" if clock.priority else "—"
    if by == "group":
        group = getattr(ticket, "assignment_group", None)
        return (group.pk, str(group)) if group else (None, "—")
    if by == "service":
        service = getattr(ticket, "service", None)
        return (service.pk, str(service)) if service else (None, gettext("No service recorded"))
    return (clock.definition_id, clock.kind), f"{clock.definition.name} · {clock.get_kind_display()}"


def trend(last_month: dt.date, months=6, *, time_zone=None):
    """Overall compliance of the `months` months ending with `last_month`: [(first_day, Row)], one query."""
    time_zone = time_zone or default_time_zone()
    zone = ZoneInfo(time_zone)
    first = shift_month(last_month, -(months - 1))
    start, _ = month_bounds(first, time_zone)
    _, end = month_bounds(last_month, time_zone)
    rows = {shift_month(first, i): Row(key=shift_month(first, i), label=shift_month(first, i).strftime("%Y-%m"))
            for i in range(months)}
    qs = (SLAClock.objects.exclude(state=ClockState.CANCELLED)
          .filter(Q(breached_at__isnull=False) | Q(state=ClockState.MET))
          .annotate(outcome_at=Coalesce("breached_at", "stopped_at"))
          .filter(outcome_at__gte=start, outcome_at__lt=end)
          .values_list("outcome_at", "breached_at"))
    for outcome_at, breached_at in qs:
        key = outcome_at.astimezone(zone).date().replace(day=1)
        row = rows.get(key)
        if row is None:
            continue
        row.total += 1
        if breached_at is None:
            row.met += 1
        else:
            row.breached += 1
    return list(rows.values())


def breach_reason(clock, events):
    """One line on why a clock breached, from its events (already fetched)."""
    from django.utils.translation import gettext as _, ngettext

    from sla.history import business_minutes

    parts = []
    pauses = [e for e in events if e.kind == "pause"]
    retargets = [e for e in events if e.kind == "retarget"]
    for event in retargets:
        parts.append(_("re-targeted P%(old)s→P%(new)s (%(a)s→%(b)s min) at %(at)s") % {
            "old": event.data.get("old_priority"), "new": event.data.get("new_priority"),
            "a": event.data.get("old_target"), "b": event.data.get("new_target"),
            "at": timezone.localtime(event.at).strftime("%m-%d %H:%M")})
    if pauses:
        parts.append(ngettext("paused %(n)s time", "paused %(n)s times", len(pauses)) % {"n": len(pauses)})
    starts = [e for e in events if e.kind == "start"]
    if starts and starts[0].data.get("reason", "").startswith("now applies"):
        parts.append(_("started on hand-off"))
    if not parts:
        parts.append(_("ran without pause"))
    overrun = max(0, clock.elapsed_business_seconds - clock.target_minutes * 60) // 60
    if clock.stopped_at and overrun:
        parts.append(_("finished %(m)s late") % {"m": business_minutes(overrun)})
    elif not clock.stopped_at:
        parts.append(_("still open"))
    return "; ".join(parts)
