"""The change life cycle: which state may follow which, per change type, and the guards.

Plain Python: the service builds a `ChangeFacts` from the record and asks `check_transition`.
Refusals raise core.exceptions.InvalidTransition (naming the allowed targets) or DomainError
(naming the missing field), so the form and the API can say exactly what is wrong.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _, pgettext_lazy

from changes.choices import PIR_OUTCOMES, ChangeState as S, ChangeType as T
from core.exceptions import DomainError, InvalidTransition

# state → allowed targets, per change type. A standard change is pre-authorised by its
# template, so it skips assessment and approval; an emergency change skips the assessment
# queue and goes straight to its (expedited) authority, and may be implemented at once.
# What the state menu calls a move (core.tickets.Lifecycle.action_label); others read as the state.
ACTION_LABELS = {
    (S.NEW, S.ASSESS): pgettext_lazy("change action", "Start assessment"),
    (S.ASSESS, S.AUTHORIZE): pgettext_lazy("change action", "Request approval"),
    (S.NEW, S.AUTHORIZE): pgettext_lazy("change action", "Request approval"),
    (S.AUTHORIZE, S.ASSESS): pgettext_lazy("change action", "Back to assessment"),
    (S.SCHEDULED, S.ASSESS): pgettext_lazy("change action", "Back to assessment"),
    (None, S.SCHEDULED): pgettext_lazy("change action", "Schedule"),
    (None, S.IMPLEMENT): pgettext_lazy("change action", "Start implementation"),
    (None, S.REVIEW): pgettext_lazy("change action", "Implementation done: review"),
    (None, S.CLOSED): pgettext_lazy("change action", "Close"),
    (None, S.CANCELLED): pgettext_lazy("change action", "Cancel change"),
}

TRANSITIONS = {
    T.STANDARD: {
        S.NEW: (S.SCHEDULED, S.CANCELLED),
        S.SCHEDULED: (S.IMPLEMENT, S.CANCELLED),
        S.IMPLEMENT: (S.REVIEW,),
        S.REVIEW: (S.CLOSED,),
        S.CLOSED: (),
        S.CANCELLED: (),
    },
    T.NORMAL: {
        S.NEW: (S.ASSESS, S.CANCELLED),
        S.ASSESS: (S.AUTHORIZE, S.CANCELLED),
        # Leaving `authorize` forward happens through the approval service, not by hand.
        S.AUTHORIZE: (S.SCHEDULED, S.ASSESS, S.CANCELLED),
        S.SCHEDULED: (S.IMPLEMENT, S.ASSESS, S.CANCELLED),
        S.IMPLEMENT: (S.REVIEW,),
        S.REVIEW: (S.CLOSED,),
        S.CLOSED: (),
        S.CANCELLED: (),
    },
    T.EMERGENCY: {
        S.NEW: (S.AUTHORIZE, S.CANCELLED),
        S.AUTHORIZE: (S.SCHEDULED, S.IMPLEMENT, S.CANCELLED),
        S.SCHEDULED: (S.IMPLEMENT, S.CANCELLED),
        S.IMPLEMENT: (S.REVIEW,),
        S.REVIEW: (S.CLOSED,),
        S.CLOSED: (),
        S.CANCELLED: (),
    },
}

# Targets that need the change's approvals to be complete first (normal and emergency).
NEEDS_APPROVAL = frozenset({S.SCHEDULED, S.IMPLEMENT})
# Targets that need a complete plan and a planned window.
NEEDS_PLAN = frozenset({S.AUTHORIZE, S.SCHEDULED, S.IMPLEMENT})


@dataclass(frozen=True)
class ChangeFacts:
    """What the guards need to know about a change, as plain values."""

    type: str
    state: str
    implementation_plan: str = ""
    backout_plan: str = ""
    test_plan: str = ""
    planned_start: datetime | None = None
    planned_end: datetime | None = None
    risk: str = ""
    emergency_reason: str = ""
    has_template: bool = False
    approved: bool = False
    outcome: str = ""
    has_pir: bool = False
    freeze_blocks: bool = False


def facts_for(ticket, changes=None, *, approved=None, freeze_blocks=False, outcome=None, has_pir=None):
    """The facts of a change with `changes` applied; the service adds what needs a query
    (the freeze check) and the PIR's existence."""
    changes = changes or {}

    def value(name):
        return changes.get(name, getattr(ticket, name))

    if approved is None:
        approved = ticket.approved_at is not None
    if has_pir is None:
        has_pir = hasattr(ticket, "pir")
    return ChangeFacts(
        type=value("type"), state=ticket.state, implementation_plan=value("implementation_plan"),
        backout_plan=value("backout_plan"), test_plan=value("test_plan"), planned_start=value("planned_start"),
        planned_end=value("planned_end"), risk=value("risk"), emergency_reason=value("emergency_reason"),
        has_template=(changes["template"] if "template" in changes else ticket.template_id) is not None,
        approved=approved, outcome=outcome if outcome is not None else value("outcome"),
        has_pir=has_pir, freeze_blocks=freeze_blocks,
    )


def allowed_targets(facts, state=None, *, is_agent=True):
    """The states the change may move to (`facts`, or a change type and a state)."""
    if isinstance(facts, ChangeFacts):
        change_type, state = facts.type, facts.state
    else:
        change_type = facts
    return tuple(TRANSITIONS.get(change_type, {}).get(state, ()))


def missing_plan_fields(facts):
    """The plan fields still empty, in the order a form shows them."""
    return [name for name in ("implementation_plan", "backout_plan", "test_plan")
            if not (getattr(facts, name) or "").strip()]


def check_window(planned_start, planned_end, *, required=True):
    """A planned window must have both ends and end after it starts."""
    if planned_start is None or planned_end is None:
        if required:
            field = "planned_start" if planned_start is None else "planned_end"
            raise DomainError(_("A planned window (start and end) is required."), field=field, code="required")
        return
    if planned_end <= planned_start:
        raise DomainError(_("The planned window ends before it starts: the end must be after the start."),
                          field="planned_end", code="window_order")


def check_ready_for_approval(facts):
    """Approval requires implementation, backout and test plans and a planned window."""
    missing = missing_plan_fields(facts)
    if missing:
        raise DomainError(
            _("Complete the implementation, backout and test plans first (missing: %(fields)s).")
            % {"fields": ", ".join(name.replace("_", " ") for name in missing)},
            field=missing[0], code="required",
        )
    check_window(facts.planned_start, facts.planned_end)


def check_transition(facts, target, *, is_agent=True):
    """Refuse `facts.state → target` unless the table and every guard allow it."""
    allowed = allowed_targets(facts)
    if target not in allowed:
        raise InvalidTransition(facts.state, target, allowed)
    if facts.type == T.EMERGENCY and not (facts.emergency_reason or "").strip():
        raise DomainError(_("An emergency change needs an emergency reason."), field="emergency_reason",
                          code="required")
    if facts.type == T.STANDARD and target == S.SCHEDULED and not facts.has_template:
        raise DomainError(_("A standard change must come from a pre-approved template."), field="template",
                          code="required")
    if target == S.AUTHORIZE and facts.type == T.NORMAL and not facts.risk:
        raise DomainError(_("Assess the risk before asking for authorisation."), field="risk", code="required")
    if target in NEEDS_PLAN:
        check_ready_for_approval(facts)
    if target in NEEDS_APPROVAL and facts.type != T.STANDARD and not facts.approved:
        raise DomainError(_("The change is not yet approved."), field="state", code="not_approved")
    if target == S.SCHEDULED and facts.freeze_blocks and facts.type != T.EMERGENCY:
        raise DomainError(_("The planned window overlaps a change freeze; only emergency changes may be "
                            "scheduled in it."), field="planned_start", code="freeze")
    if target == S.REVIEW and not facts.outcome:
        raise DomainError(_("Record the outcome of the implementation first."), field="outcome",
                          code="required")
    if target == S.CLOSED and needs_pir(facts) and not facts.has_pir:
        raise DomainError(_("A post-implementation review is required before closing a failed, backed-out "
                            "or emergency change."), field="pir", code="pir_required")


def needs_pir(facts):
    return facts.type == T.EMERGENCY or facts.outcome in PIR_OUTCOMES


def transition_tables():
    """Every state table this workflow answers from: one per change type."""
    return tuple(TRANSITIONS.values())
