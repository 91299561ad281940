"""Service requests as an approval source for the inbox (core.approvals): the requests with an
item whose current stage this person may decide now.

The deciders of every stage are in the item's approval plan snapshot, so the candidates are
found by JSON containment on the waiting items: one query for a person who can decide nothing,
two otherwise (the items, their decisions), whatever the number of requests.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.approvals import PendingApproval
from fulfilment import approvals as approval_rules
from fulfilment.choices import ItemState
from fulfilment.models import RequestApproval, RequestItem

LABEL = _("Service request")


def request_url(request_id):
    """The desk's request page; built by the desk helper, so reversing may fail until it lands."""
    try:
        return reverse("fulfilment:request_detail", args=[request_id])
    except NoReverseMatch:
        return f"/requests/{request_id}/"


def candidates(user):
    """Waiting items whose plan names the person on some stage: a superset of what they may
    decide now (an earlier stage may still be open), narrowed by the rule."""
    return list(RequestItem.objects.filter(state=ItemState.AWAITING_APPROVAL,
                                           approval_plan__contains=[{"eligible": [user.pk]}])
                .exclude(request__requested_by=user).exclude(request__requested_for=user)
                .select_related("request__requested_by", "catalog_item")
                .order_by("request_id", "pk"))


def pending(user):
    items = candidates(user)
    if not items:
        return []
    approvals = list(RequestApproval.objects.filter(request_item__in=[i.pk for i in items]))
    by_request = {}
    for item in items:
        request = item.request
        offer = approval_rules.offer(item, approvals, request=request, actor_id=user.pk)
        if offer.stage is None or request.pk in by_request:
            continue
        earlier = [a.created_at for a in approvals if a.request_item_id == item.pk and a.round == item.approval_round
                   and a.stage_order < offer.stage.order]
        by_request[request.pk] = PendingApproval(
            kind="request", kind_label=str(LABEL), number=request.number, title=request.title,
            url=request_url(request.pk), stage=f"{item.catalog_item}: {offer.stage.name}",
            requested_by=str(request.requested_by), since=max([request.created_at, *earlier]))
    return list(by_request.values())
