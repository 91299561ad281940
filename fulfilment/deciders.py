"""Who may decide each waiting requested item now (fulfilment.models.ApprovalDue), kept in step
with the approval rules by the services that move items: submission, every decision, and
cancellation. The rows are derived data: `rebuild()` recomputes them all from the plans and the
decisions (the migration that introduced them, and the bulk demo seeding, call it).

The offer rule (fulfilment.approvals.offer) decides who is asked, so the rows say exactly what the
approve buttons would say: the current stage's eligible people who have not voted on it, did not
vote on an earlier stage of the round, and are neither the requester nor the person it is for.
"""

from fulfilment import approvals as approval_rules
from fulfilment.choices import ItemState


def due_rows(item, approvals, *, request, model):
    """The ApprovalDue instances (unsaved) of one item: none unless it waits on a stage."""
    if item.state != ItemState.AWAITING_APPROVAL:
        return []
    _overall, results, current = approval_rules.evaluate(item, approvals, request=request)
    if current is None:
        return []
    decided_earlier = [a.created_at for a in approvals
                       if a.request_item_id == item.pk and a.round == item.approval_round
                       and a.stage_order < current.spec.order]
    since = max([request.created_at, *decided_earlier])
    return [model(request_item_id=item.pk, request_id=request.pk, approver_id=person,
                  stage_order=current.spec.order, stage_name=current.spec.name, since=since)
            for person in sorted(current.spec.eligible)
            if approval_rules.offer(item, approvals, request=request, actor_id=person).stage is not None]


def sync(request, items, approvals):
    """Replace the rows of `items` (all of one request, as they stand after the move) with the
    ones the rules give now; `approvals` are the request's RequestApproval rows."""
    from fulfilment.models import ApprovalDue

    ApprovalDue.objects.filter(request_item__in=[item.pk for item in items]).delete()
    rows = [row for item in items for row in due_rows(item, approvals, request=request, model=ApprovalDue)]
    if rows:
        ApprovalDue.objects.bulk_create(rows)


def clear(request):
    """The request no longer waits on anyone (cancelled, withdrawn)."""
    from fulfilment.models import ApprovalDue

    ApprovalDue.objects.filter(request=request).delete()


def rebuild(*, item_model=None, approval_model=None, due_model=None, batch_size=2000):
    """Recompute every row from the waiting items (historical models may be passed by a
    migration). Returns the number of rows written."""
    if item_model is None:
        from fulfilment.models import ApprovalDue, RequestApproval, RequestItem

        item_model, approval_model, due_model = RequestItem, RequestApproval, ApprovalDue
    due_model.objects.all().delete()
    waiting = item_model.objects.filter(state=ItemState.AWAITING_APPROVAL).select_related("request").order_by("pk")
    written, batch = 0, []
    last_pk = 0
    while True:
        batch = list(waiting.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return written
        last_pk = batch[-1].pk
        decisions = list(approval_model.objects.filter(request_item__in=[item.pk for item in batch]))
        by_item = {}
        for decision in decisions:
            by_item.setdefault(decision.request_item_id, []).append(decision)
        rows = [row for item in batch
                for row in due_rows(item, by_item.get(item.pk, []), request=item.request, model=due_model)]
        due_model.objects.bulk_create(rows)
        written += len(rows)
