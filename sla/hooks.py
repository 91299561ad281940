"""What the ticket services tell the SLA engine, inside their transaction.

The engine starts, pauses, resumes, re-targets and stops clocks from these calls; ticket
code never touches clocks directly.
"""


def ticket_created(ticket, *, now):
    """A ticket was opened: start the clocks of every SLA definition that applies to it."""
    from sla import engine

    engine.start_clocks(ticket, now=now, actor=getattr(ticket, "created_by", None))


def ticket_changed(ticket, *, diff, actor, now):
    """Fields changed (diff: field → (old, new) raw values): pause, resume, re-target or stop."""
    from sla import engine

    engine.on_ticket_changed(ticket, diff=diff, actor=actor, now=now)


def ticket_responded(ticket, *, actor, now):
    """Desk staff answered the requester publicly: the response target is met."""
    from sla import engine

    engine.mark_responded(ticket, actor=actor, now=now)


def requester_replied(ticket, *, actor, now):
    """The requester wrote (portal, e-mail): a clock paused awaiting them may resume."""
    from sla import engine

    engine.resync(ticket, actor=actor, now=now)
