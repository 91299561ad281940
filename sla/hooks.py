"""What the SLA engine does when a ticket changes: subscribers to the ticket events core publishes.

They run inside the publishing transaction (the ticket row is locked), registered in
SLAConfig.ready(), so ticket code never touches clocks and core never imports this app.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import router

from core.tickets import Lifecycle
from sla import engine
from sla.models import SLAClock


def _is_ticket(record):
    # Clocks run on the types that declare the ticket contract (core.tickets); the "*.created"
    # pattern also hears other records' events (CIs, SLA definitions).
    return isinstance(getattr(type(record), "lifecycle", None), Lifecycle)


def ticket_creating(event):
    """A ticket is about to be written: plan its clocks, so its row is written with the SLA
    standing they give it (sla.rowstate) rather than updated once they start."""
    if _is_ticket(event.record):
        engine.plan_start(event.record, now=event.at, actor=getattr(event.record, "created_by", None))


def ticket_created(event):
    """A ticket was opened: start the clocks of every SLA definition that applies to it.

    They are all the clocks the new ticket has, so they are left on it as its prefetched clocks:
    the answer to the create renders them without reading them back (issue 12)."""
    if _is_ticket(event.record):
        started = engine.start_clocks(event.record, now=event.at, actor=getattr(event.record, "created_by", None))
        _remember_clocks(event.record, started)


def _remember_clocks(ticket, clocks):
    from sla.api.serializers import LISTED_CLOCKS

    # Sorted as the API's list and Meta.ordering sort them, (kind, id): the clocks' ids ascend in
    # the order they were started (core.rows.insert_with_children), and are not read here, as
    # they may be written later in the transaction (with the creation's outbox event).
    in_order = sorted(clocks, key=lambda clock: clock.kind)
    setattr(ticket, LISTED_CLOCKS, in_order)
    for field in type(ticket)._meta.private_fields:
        if isinstance(field, GenericRelation) and field.related_model is SLAClock:
            queryset = _related_queryset(getattr(ticket, field.name))
            queryset._result_cache = list(in_order)
            queryset._prefetch_done = True
            ticket._prefetched_objects_cache = {**getattr(ticket, "_prefetched_objects_cache", {}),
                                                field.name: queryset}


def _related_queryset(manager):
    """What `manager.all()` returns (the relation's filtered queryset), its filter left to be built
    when the queryset's SQL is first needed, as Django's own reverse managers defer theirs: here it
    never is (the result is set), and building it was ~3 % of an API create (issue 12)."""
    queryset = super(type(manager), manager).get_queryset()  # a new queryset, this function's own
    # What .using(db) then .filter(**core_filters) with _defer_next_filter leave, set on it
    # without their two clones (half of this function's cost, issue 12, eighth round).
    queryset._db = manager._db or router.db_for_read(manager.model, instance=manager.instance)
    queryset._deferred_filter = (False, (), dict(manager.core_filters))
    return queryset


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

