"""Panels an upper app adds to a lower app's pages, without the lower app knowing it.

Knowledge sits above incidents and fulfilment: it shows related articles beside a ticket and
suggestions beside the portal's new-ticket form, but incidents must not import knowledge. A page
renders its slot generically (`{% panels "ticket_side" incident %}`, core_tags), and the upper
app registers what goes there from its AppConfig.ready():

    panels.register("ticket_side", "knowledge/panels/_related.html", related_context, order=50)

A context function receives (request, obj) and returns the include's context, or None to show
nothing (not permitted, nothing to say). Slots in use:

- "ticket_side": the right-hand column of a desk ticket page (obj: the ticket).
- "portal_new_ticket": beside the portal's new-ticket form (obj: the bound or unbound form).
- "ci_main": the main column of the desk CI page, above the dependency graph (obj: the CI).

`on_ticket_filed(callback)` is the matching write hook: the portal view calls
`ticket_filed(request, ticket)` once a ticket is created from a form that carried panels, and
each callback reads what its panel put in the form (e.g. the articles shown before filing).
"""

from dataclasses import dataclass
from typing import Callable

SLOTS = ("ticket_side", "portal_new_ticket", "ci_main")


@dataclass(frozen=True)
class Panel:
    slot: str
    template: str
    context: Callable
    order: int = 100


_panels: dict[str, list[Panel]] = {slot: [] for slot in SLOTS}
_filed: list[Callable] = []


def register(slot: str, template: str, context: Callable, *, order: int = 100) -> None:
    if slot not in _panels:
        raise ValueError(f"unknown panel slot {slot!r} (one of {', '.join(SLOTS)})")
    # ready() may run twice in tests (override_settings reloading apps): keep one per template.
    _panels[slot] = sorted([p for p in _panels[slot] if p.template != template] + [Panel(slot, template, context, order)],
                           key=lambda p: p.order)


def registered(slot: str) -> tuple[Panel, ...]:
    return tuple(_panels.get(slot, ()))


def panels_for(slot: str, request, obj) -> list[tuple[str, dict]]:
    """(template, context) of every panel with something to show for `obj`, in order."""
    shown = []
    for panel in _panels.get(slot, ()):
        context = panel.context(request, obj)
        if context is not None:
            shown.append((panel.template, context))
    return shown


def on_ticket_filed(callback: Callable) -> Callable:
    if callback not in _filed:
        _filed.append(callback)
    return callback


def ticket_filed(request, ticket) -> None:
    """A ticket was filed from a form carrying panels: let each panel's app record what it showed."""
    for callback in _filed:
        callback(request, ticket)
