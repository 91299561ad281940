"""What the SLA engine does when a ticket changes: subscribers to the ticket events core publishes.

They run inside the publishing transaction (the ticket row is locked), registered in
SLAConfig.ready(), so ticket code never touches clocks and core never imports this app.
"""

from core.tickets import Lifecycle
from sla import engine


def _is_ticket(record):
    # Clocks run on the types that declare the ticket contract (core.tickets); the "*.created"
    # pattern also hears other records' events (CIs, SLA definitions).
    return isinstance(getattr(type(record), "lifecycle", None), Lifecycle)


def ticket_created(event):
    """A ticket was opened: start the clocks of every SLA definition that applies to it."""
    if _is_ticket(event.record):
        engine.start_clocks(event.record, now=event.at, actor=getattr(event.record, "created_by", None))


def ticket_changed(event):
    """Fields changed (diff: field → (old, new) raw values): pause, resume, re-target or stop."""
    if _is_ticket(event.record):
        engine.on_ticket_changed(event.record, diff=event.data["diff"], actor=event.actor, now=event.at)


def ticket_commented(event):
    """A public answer from the desk meets the response target; the requester's reply may resume
    a clock paused awaiting them. Work notes change nothing."""
    if not _is_ticket(event.record) or event.data.get("internal"):
        return
    if event.data.get("by_desk"):
        engine.mark_responded(event.record, actor=event.actor, now=event.at)
    else:
        engine.resync(event.record, actor=event.actor, now=event.at)

