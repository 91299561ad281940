"""What the request and task workflows share: both are a bare state table with no guards (the
services decide when a request or a task moves; the table only says which moves exist)."""

from dataclasses import dataclass

from core.exceptions import InvalidTransition


@dataclass(frozen=True)
class StateFacts:
    state: str = ""


def facts_for(ticket, changes=None):
    return StateFacts(state=ticket.state)


def allowed_in(table, facts):
    state = facts.state if isinstance(facts, StateFacts) else facts
    return table.get(state, ())


def check_in(table, facts, target):
    current = facts.state if isinstance(facts, StateFacts) else facts
    if current == target:
        return
    allowed = allowed_in(table, current)
    if target not in allowed:
        raise InvalidTransition(current, target, [str(a) for a in allowed])
