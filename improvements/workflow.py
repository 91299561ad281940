"""The life cycle of an improvement item or corrective action: which state may follow which, and
what each move needs. Plain Python: no ORM, no request; every move is checked here.

    proposed → approved → in_progress → implemented → closed_effective | closed_ineffective
    proposed → rejected;  any open state → cancelled;  implemented → in_progress (rework)

- starting the work (in_progress) needs an owner;
- closing as effective needs the result measurement (value and date) and who verified it, and a
  corrective action also its effectiveness review (ISO/IEC 20000-1 10.1 e);
- closing as not effective, and rejecting, need a note saying why.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.exceptions import DomainError, InvalidTransition
from improvements.choices import ImprovementState as S
from improvements.choices import Kind

TRANSITIONS = {
    S.PROPOSED: (S.APPROVED, S.REJECTED, S.CANCELLED),
    S.APPROVED: (S.IN_PROGRESS, S.CANCELLED),
    S.IN_PROGRESS: (S.IMPLEMENTED, S.CANCELLED),
    S.IMPLEMENTED: (S.CLOSED_EFFECTIVE, S.CLOSED_INEFFECTIVE, S.IN_PROGRESS, S.CANCELLED),
    S.CLOSED_EFFECTIVE: (),
    S.CLOSED_INEFFECTIVE: (),
    S.REJECTED: (),
    S.CANCELLED: (),
}

ACTION_LABELS = {
    (None, S.APPROVED): pgettext_lazy("improvement action", "Approve"),
    (None, S.IN_PROGRESS): pgettext_lazy("improvement action", "Start work"),
    (S.IMPLEMENTED, S.IN_PROGRESS): pgettext_lazy("improvement action", "Rework"),
    (None, S.IMPLEMENTED): pgettext_lazy("improvement action", "Mark implemented"),
    (None, S.CLOSED_EFFECTIVE): pgettext_lazy("improvement action", "Close as effective"),
    (None, S.CLOSED_INEFFECTIVE): pgettext_lazy("improvement action", "Close as not effective"),
    (None, S.REJECTED): pgettext_lazy("improvement action", "Reject"),
    (None, S.CANCELLED): pgettext_lazy("improvement action", "Cancel"),
}


@dataclass(frozen=True)
class ImprovementFacts:
    """What the guards need to know about an item, with the requested changes applied."""

    state: str = S.PROPOSED  # the current state (before the move)
    kind: str = Kind.IMPROVEMENT
    owner_id: int | None = None
    result_value: object = None
    result_date: date | None = None
    verified_by_id: int | None = None
    effectiveness_review: str = ""
    closure_note: str = ""


def _id(value):
    return getattr(value, "pk", value)


def facts_for(ticket, changes=None):
    """The facts of `ticket` with `changes` applied (state: the current one)."""
    changes = changes or {}

    def get(name, attname=None):
        if name in changes:
            return changes[name]
        return getattr(ticket, attname or name)

    return ImprovementFacts(
        state=ticket.state, kind=ticket.kind or Kind.IMPROVEMENT,
        owner_id=_id(get("owner", "owner_id")), result_value=get("result_value"), result_date=get("result_date"),
        verified_by_id=_id(get("verified_by", "verified_by_id")),
        effectiveness_review=get("effectiveness_review") or "", closure_note=get("closure_note") or "",
    )


def allowed_targets(facts, *, is_agent=True):
    """The register is a desk record: the caller's role changes nothing."""
    state = facts.state if isinstance(facts, ImprovementFacts) else facts
    return TRANSITIONS.get(state, ())


def check_transition(facts, target, *, is_agent=True):
    """Refuse an invalid move (InvalidTransition naming the allowed ones) or one whose guard fails
    (DomainError naming the missing field)."""
    if isinstance(facts, str):
        facts = ImprovementFacts(state=facts)
    current = facts.state
    if current == target:
        return
    allowed = allowed_targets(current)
    if target not in allowed:
        raise InvalidTransition(current, target, [str(a) for a in allowed])
    if target == S.IN_PROGRESS and not facts.owner_id:
        raise DomainError(_("Name an owner before the work starts."), field="owner", code="required")
    if target == S.CLOSED_EFFECTIVE:
        check_effective(facts)
    if target in (S.CLOSED_INEFFECTIVE, S.REJECTED) and not facts.closure_note.strip():
        raise DomainError(_("Say why in a closing note."), field="closure_note", code="required")


def check_effective(facts):
    """Closing as effective is a claim backed by evidence: the measured result, when it was
    measured, and the person who verified it."""
    if facts.result_value is None or facts.result_value == "":
        raise DomainError(_("Closing as effective needs the result measurement."), field="result",
                          code="required")
    if facts.result_date is None:
        raise DomainError(_("Closing as effective needs the date of the result measurement."), field="result",
                          code="required")
    if not facts.verified_by_id:
        raise DomainError(_("Closing as effective needs the person who verified the result."), field="verified_by",
                          code="required")
    if facts.kind == Kind.CORRECTIVE_ACTION and not facts.effectiveness_review.strip():
        raise DomainError(_("A corrective action is closed as effective only after its effectiveness review."),
                          field="effectiveness_review", code="required")


def transition_tables():
    return (TRANSITIONS,)
