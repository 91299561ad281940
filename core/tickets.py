"""The ticket contract: what every ticket type declares so that core, SLA, CMDB and reports can
work with it without knowing the type.

A ticket model sets `lifecycle = Lifecycle(...)` and `SEARCH_FIELDS`; its app's `workflow`
module answers two questions with one signature for every type:

    allowed_targets(facts, *, is_agent=True) -> tuple[str, ...]
    check_transition(facts, target, *, is_agent=True) -> None   # raises InvalidTransition/DomainError

where `facts` is whatever plain, ORM-free value the workflow module builds with
`facts_for(ticket, changes)` (the ticket with the requested changes applied). Readers ask the
declaration ("is this state open?", "which states pause a clock?") instead of guessing state names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Protocol


class Workflow(Protocol):
    """What a ticket type's workflow module provides (plain Python, testable without a database)."""

    def facts_for(self, ticket, changes: dict | None = None): ...

    def allowed_targets(self, facts, *, is_agent: bool = True) -> tuple[str, ...]: ...

    def check_transition(self, facts, target: str, *, is_agent: bool = True) -> None: ...

    def transition_tables(self) -> tuple[dict, ...]: ...  # every {state: targets} table it answers from


@dataclass(frozen=True)
class Lifecycle:
    """A ticket type's states, grouped by what they mean to everyone outside the type.

    - initial: nobody has acted yet (a response clock runs only here)
    - paused: open but waiting on someone outside the desk (subset of open)
    - resolved: the work is done, awaiting confirmation
    - terminal: no further work (closed, cancelled, rolled back)
    - cancelled: withdrawn rather than done (subset of terminal): clocks are cancelled, not met
    Every other state is open. `timestamps` names the field stamped when a state is entered.
    """

    states: type  # the TextChoices of the `state` field
    initial: frozenset[str]
    resolved: frozenset[str]
    terminal: frozenset[str]
    cancelled: frozenset[str] = frozenset()
    paused: frozenset[str] = frozenset()
    workflow: ModuleType | Workflow | None = None
    timestamps: dict[str, str] = field(default_factory=dict)
    # Fields only desk staff may set; the requester's own fields are the rest of the editable ones.
    desk_only_fields: frozenset[str] = frozenset()
    # What a requester who is not desk staff may set when opening one (None: no such limit,
    # the type's create endpoint is the desk's). Everything else is refused with a 403 naming it.
    reporter_fields: frozenset[str] | None = None
    # The field saying why a paused ticket waits (SLA pause conditions "state:reason"), if any.
    pause_reason_field: str = ""

    def __post_init__(self):
        for name in ("initial", "resolved", "terminal", "cancelled", "paused"):
            object.__setattr__(self, name, frozenset(str(s) for s in getattr(self, name)))
        known = set(self.states.values)
        for name in ("initial", "resolved", "terminal", "cancelled", "paused"):
            unknown = getattr(self, name) - known
            if unknown:
                raise ValueError(f"Lifecycle.{name} names unknown states: {sorted(unknown)}")
        if not self.cancelled <= self.terminal:
            raise ValueError("Cancelled states must be terminal.")

    @property
    def all(self) -> frozenset[str]:
        return frozenset(self.states.values)

    @property
    def open(self) -> frozenset[str]:
        """States with work outstanding (paused ones included)."""
        return self.all - self.resolved - self.terminal

    @property
    def active(self) -> frozenset[str]:
        """Open or resolved: not yet finished for good."""
        return self.all - self.terminal

    def action_label(self, current, target) -> str:
        """What the move from `current` to `target` is called on a button or in a menu.

        The workflow's ACTION_LABELS name moves by (from, to), or (None, to) for any other
        start; a move it does not name is called by its target state.
        """
        labels = getattr(self.workflow, "ACTION_LABELS", {}) if self.workflow is not None else {}
        current, target = str(current), str(target)
        label = labels.get((current, target)) or labels.get((None, target))
        return str(label) if label else str(self.states(target).label)

    def is_open(self, state) -> bool:
        return state in self.open

    def is_paused(self, state) -> bool:
        return state in self.paused

    def is_resolved(self, state) -> bool:
        return state in self.resolved

    def is_terminal(self, state) -> bool:
        return state in self.terminal

    def is_cancelled(self, state) -> bool:
        return state in self.cancelled

    def is_initial(self, state) -> bool:
        return state in self.initial


def lifecycle_of(model_or_instance) -> Lifecycle:
    lifecycle = getattr(model_or_instance, "lifecycle", None)
    if not isinstance(lifecycle, Lifecycle):
        raise TypeError(f"{model_or_instance!r} declares no ticket lifecycle")
    return lifecycle


def ticket_models():
    """Every installed concrete model that declares the ticket contract."""
    from django.apps import apps

    return [m for m in apps.get_models() if isinstance(getattr(m, "lifecycle", None), Lifecycle)]


def pause_reason(ticket) -> str:
    """Why the ticket waits, from its declared pause-reason field ("" if the type declares none)."""
    lifecycle = getattr(ticket, "lifecycle", None)
    field_name = lifecycle.pause_reason_field if isinstance(lifecycle, Lifecycle) else ""
    return (getattr(ticket, field_name) or "") if field_name else ""


def type_name(model_or_instance) -> str:
    """The event and API name of a ticket type: incident, problem, change, release."""
    return model_or_instance._meta.model_name
