"""The programme's rules as plain Python (no ORM, no request), unit-tested without a database:
the audit state machine, auditor independence, clause coverage over the three-year cycle, when
a finding may close, and when the next certification audit is due."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from assurance.choices import NONCONFORMITIES, AuditState, CertificationKind
from core import clauses
from core.exceptions import DomainError, InvalidTransition

CYCLE_YEARS = 3
A = AuditState
AUDIT_TRANSITIONS = {
    A.PLANNED: (A.IN_PROGRESS,),
    A.IN_PROGRESS: (A.REPORTED,),
    A.REPORTED: (A.CLOSED,),
    A.CLOSED: (),
}


# --- audits -----------------------------------------------------------------------------------
def check_audit_transition(current, target, *, performed_date=None, open_findings=0):
    """Refuse a move the table does not allow (naming the allowed ones), a report without the date
    the audit was performed, and closing an audit whose findings are still open."""
    allowed = AUDIT_TRANSITIONS.get(current, ())
    if target not in allowed:
        raise InvalidTransition(current, target, allowed)
    if target == A.REPORTED and performed_date is None:
        raise DomainError(_("Give the date the audit was performed before reporting it."),
                          field="performed_date", code="required")
    if target == A.CLOSED and open_findings:
        raise DomainError(_("Close the audit's findings first (%(count)s still open).") % {"count": open_findings},
                          field="state", code="open_findings")


def independence_conflicts(auditor_team_ids, audited_team_ids) -> set:
    """The audited teams the auditor belongs to: an auditor must not audit their own work
    (ISO/IEC 20000-1 9.2.2 c). Empty means independent."""
    return set(auditor_team_ids) & set(audited_team_ids)


def check_clauses(ids, field):
    """The clause ids, stripped and de-duplicated in order; unknown ones → 400 naming `field`."""
    cleaned = []
    for raw in ids or ():
        value = str(raw).strip()
        if value not in cleaned:
            cleaned.append(value)
    unknown = clauses.unknown(cleaned)
    if unknown:
        raise DomainError(_("Unknown ISO/IEC 20000-1 clause: %(ids)s.") % {"ids": ", ".join(unknown[:5])},
                          field=field, code="unknown_clause")
    return cleaned


# --- coverage ---------------------------------------------------------------------------------
def _children():
    children = {}
    for clause in clauses.CLAUSES:
        if clause.parent_id:
            children.setdefault(clause.parent_id, []).append(clause.id)
    return children


def leaf_clause_ids() -> list[str]:
    """The clauses an audit programme must cover: those without sub-clauses, in catalogue order."""
    children = _children()
    return [c.id for c in clauses.CLAUSES if c.id not in children]


def covered_leaves(scope) -> set[str]:
    """The leaf clauses an audit of `scope` covers: a clause covers all its sub-clauses."""
    out = set()
    for clause_id in scope:
        prefix = f"{clause_id}."
        out |= {leaf for leaf in leaf_clause_ids() if leaf == clause_id or leaf.startswith(prefix)}
    return out


@dataclass(frozen=True)
class AuditFacts:
    scope: tuple
    planned_year: int
    performed_year: int | None
    done: bool


@dataclass(frozen=True)
class Coverage:
    years: tuple
    rows: tuple      # (clause id, (cell per year: "audited" | "planned" | ""))
    uncovered: tuple  # leaf clause ids neither planned nor audited in the cycle


def coverage(start_year: int, audits, years: int = CYCLE_YEARS) -> Coverage:
    """Which clause is planned or audited in which year of the cycle. An audit counts in the year
    it was performed once reported, else in the year it is planned for."""
    cycle = tuple(range(start_year, start_year + years))
    cells = {}
    for audit in audits:
        year = audit.performed_year if audit.done and audit.performed_year else audit.planned_year
        if year not in cycle:
            continue
        mark = "audited" if audit.done else "planned"
        for leaf in covered_leaves(audit.scope):
            current = cells.get((leaf, year))
            if current != "audited":
                cells[(leaf, year)] = mark
    rows = tuple((leaf, tuple(cells.get((leaf, y), "") for y in cycle)) for leaf in leaf_clause_ids())
    uncovered = tuple(leaf for leaf, marks in rows if not any(marks))
    return Coverage(years=cycle, rows=rows, uncovered=uncovered)


# --- findings ---------------------------------------------------------------------------------
def check_finding_close(kind, *, action_closed: bool | None, note: str):
    """A nonconformity closes when its corrective action is closed, or with a note saying why it
    closes before (the action was rejected, the auditor accepted the correction...)."""
    if kind not in NONCONFORMITIES:
        return
    if action_closed:
        return
    if not (note or "").strip():
        raise DomainError(_("The corrective action is not closed yet: say why the finding closes anyway."),
                          field="closure_note", code="action_open")


def needs_corrective_action(kind) -> bool:
    return kind in NONCONFORMITIES


# --- certification ----------------------------------------------------------------------------
def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


K = CertificationKind
# Before the first decision, the steps in order (pre-audit optional).
_BEFORE_DECISION = (K.ENQUIRY, K.APPLICATION, K.STAGE1, K.STAGE2, K.DECISION)


@dataclass(frozen=True)
class NextDue:
    kind: str
    date: dt.date | None
    anchor: dt.date | None  # the certification decision the date counts from


def next_due(events) -> NextDue | None:
    """The next certification step from (kind, date) events: after a decision D, surveillance at
    D + 12 months, again at D + 24, and recertification before D + 36 (the certificate's expiry).
    A later decision (after recertification) starts a new cycle. Before any decision, the next
    step of the initial audit, without a date."""
    events = sorted(events, key=lambda e: e[1])
    decisions = [d for k, d in events if k == K.DECISION]
    if not decisions:
        done = {k for k, _d in events}
        if not done:
            return None
        for kind in reversed(_BEFORE_DECISION):
            if kind in done:
                position = _BEFORE_DECISION.index(kind)
                return NextDue(_BEFORE_DECISION[position + 1], None, None)
        return NextDue(K.STAGE2, None, None)  # only a pre-audit so far
    anchor = decisions[-1]
    after = [k for k, d in events if d > anchor]
    if K.RECERTIFICATION in after:
        return NextDue(K.DECISION, add_months(anchor, 36), anchor)
    surveillances = after.count(K.SURVEILLANCE)
    if surveillances == 0:
        return NextDue(K.SURVEILLANCE, add_months(anchor, 12), anchor)
    if surveillances == 1:
        return NextDue(K.SURVEILLANCE, add_months(anchor, 24), anchor)
    return NextDue(K.RECERTIFICATION, add_months(anchor, 36), anchor)


def is_overdue(due: NextDue | None, today: dt.date) -> bool:
    return bool(due and due.date and due.date < today)


