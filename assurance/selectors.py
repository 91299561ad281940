"""What other apps read of the management system's own records. The signatures of
`audited_clause_ids` and `open_major_nonconformity_clause_ids` are the contract the `iso`
readiness rules build on: keep them (add keyword arguments freely)."""

from __future__ import annotations

from django.db.models import Count, F, Func, Q
from django.utils import timezone

from assurance import rules
from assurance.choices import DONE_AUDIT_STATES, ActionState, FindingKind, FindingState
from assurance.models import Audit, CertificationEvent, Finding, ReviewAction


def _with_sub_clauses(ids) -> set[str]:
    """The ids and the sub-clauses they cover (an audit of 8.6 audits 8.6.1 to 8.6.3)."""
    out = set(ids)
    for clause_id in ids:
        out |= rules.covered_leaves([clause_id])
    return out


def _unnest(queryset, field):
    return set(queryset.order_by().annotate(clause=Func(F(field), function="unnest"))
               .values_list("clause", flat=True).distinct())


def audited_clause_ids(since) -> set[str]:
    """Clause ids covered by an internal audit completed on or after `since` (a date): the scope
    of audits reported or closed, performed since then, with the sub-clauses a scope covers. One query."""
    done = Audit.objects.filter(state__in=DONE_AUDIT_STATES, performed_date__gte=since)
    return _with_sub_clauses(_unnest(done, "scope"))


def open_major_nonconformity_clause_ids() -> set[str]:
    """Clause ids with a major nonconformity still open. One query."""
    return _unnest(Finding.objects.filter(kind=FindingKind.MAJOR_NC, state=FindingState.OPEN), "clauses")


def findings_summary(start=None, end=None) -> dict:
    """Findings of audits performed in [start, end] (dates; None = open-ended) by kind and state:
    {kind: {"open": n, "closed": n}}. One query."""
    findings = Finding.objects.all()
    if start is not None:
        findings = findings.filter(audit__performed_date__gte=start)
    if end is not None:
        findings = findings.filter(audit__performed_date__lte=end)
    rows = findings.order_by().values("kind").annotate(open=Count("id", filter=Q(state=FindingState.OPEN)),
                                                       closed=Count("id", filter=Q(state=FindingState.CLOSED)))
    counts = {row["kind"]: {"open": row["open"], "closed": row["closed"]} for row in rows}
    return {kind: counts.get(kind, {"open": 0, "closed": 0}) for kind in FindingKind.values}


def open_review_actions(*, before=None, today=None):
    """Open actions of management reviews (held before `before`, a date, when given), oldest due
    first, with `overdue` set."""
    today = today or timezone.localdate()
    actions = ReviewAction.objects.filter(state=ActionState.OPEN).select_related("owner", "review")
    if before is not None:
        actions = actions.filter(review__held_on__lt=before)
    out = list(actions.order_by(F("due_date").asc(nulls_last=True), "id"))
    for action in out:
        action.overdue = action.is_overdue(today)
    return out


def certification_next_due():
    """The next certification step (rules.NextDue) from the recorded events. One query."""
    return rules.next_due(CertificationEvent.objects.order_by("date", "id").values_list("kind", "date"))
