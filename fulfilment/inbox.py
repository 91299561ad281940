"""Service requests as an approval source for the inbox (core.approvals): the requests with an
item whose current stage this person may decide now.

The deciders of every stage are in the item's approval plan snapshot, so the candidates are
found by JSON containment on the waiting items: one query (the items with their decisions),
whatever the number of requests.
"""

from datetime import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import JSONObject
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.approvals import PendingApproval
from fulfilment import approvals as approval_rules
from fulfilment.choices import ItemState
from fulfilment.models import RequestApproval, RequestItem

LABEL = _("Service request")
# An id no request has, replaced by each row's: one reverse() for the whole list.
_URL_SENTINEL = 987654321987


def request_url(request_id):
    """The desk's request page; built by the desk helper, so reversing may fail until it lands."""
    try:
        return reverse("fulfilment:request_detail", args=[request_id])
    except NoReverseMatch:
        return f"/requests/{request_id}/"


class _Row:
    """What the rule reads of a waiting item and its request, without building model instances
    (an approver of a busy group may be named on thousands of waiting items, and every desk
    page counts them in the navigation)."""

    __slots__ = ("pk", "request_id", "approval_plan", "approval_round", "requested_by_id", "requested_for_id",
                 "number", "title", "created_at", "requester", "requester_username", "item_name", "item_name_ko",
                 "decisions")

    def __init__(self, values):
        for name, value in zip(self.__slots__, values):
            setattr(self, name, value)


class _Decision:
    __slots__ = ("request_item_id", "round", "stage_order", "approver_id", "decision", "created_at")

    def __init__(self, item, values):
        self.request_item_id, self.round = item.pk, item.approval_round
        self.stage_order, self.approver_id = values["stage_order"], values["approver_id"]
        self.decision, self.created_at = values["decision"], datetime.fromisoformat(values["created_at"])


def _this_round():
    return RequestApproval.objects.filter(request_item=OuterRef("pk"), round=OuterRef("approval_round"))


def _waiting_naming(user):
    """Waiting items whose plan names the person (the partial GIN index fulfilment_item_waiting_idx),
    not placed by or for them."""
    return (RequestItem.objects.filter(state=ItemState.AWAITING_APPROVAL,
                                       approval_plan__contains=[{"eligible": [user.pk]}])
            .exclude(request__requested_by=user).exclude(request__requested_for=user))


def _first_stage_is_theirs(user):
    return Q(approval_plan__0__eligible__contains=[user.pk])


def candidates(user, *, decided_only=False):
    """Waiting items that may be the person's to decide now, with their decisions of this round:
    their plan names the person and either the first stage does (nothing decided yet, so the
    first stage is the current one) or some decision was given (a later stage may be current).
    The rule narrows them (pending)."""
    this_round = _this_round()
    decided = Exists(this_round)
    rows = (_waiting_naming(user).filter(decided if decided_only else _first_stage_is_theirs(user) | decided)
            .annotate(decisions=ArraySubquery(this_round.order_by("stage_order", "id").values(json=JSONObject(
                stage_order="stage_order", approver_id="approver_id", decision="decision",
                created_at="created_at"))))
            .order_by("request_id", "pk")
            .values_list("pk", "request_id", "approval_plan", "approval_round", "request__requested_by_id",
                         "request__requested_for_id", "request__number", "request__title", "request__created_at",
                         "request__requested_by__display_name", "request__requested_by__username",
                         "catalog_item__name", "catalog_item__name_ko", "decisions"))
    items = []
    for values in rows:
        item = _Row(values[:-1])
        item.decisions = [_Decision(item, d) for d in values[-1] or ()]
        items.append(item)
    return items


def count(user):
    """len(pending(user)) without building it (the navigation's badge on every desk page): an
    item nobody has decided yet waits on its first stage, so whether it is the person's is a
    question for the index (one query); only items with decisions go through the rule."""
    rows = (_waiting_naming(user).annotate(decided=Exists(_this_round()))
            .filter(_first_stage_is_theirs(user) | Q(decided=True))
            .values_list("request_id", "decided"))
    requests, decided = set(), False
    for request_id, has_decisions in rows:
        if has_decisions:
            decided = True
        else:
            requests.add(request_id)
    if decided:
        requests |= {item.request_id for item in candidates(user, decided_only=True) if _offered(item, user)}
    return len(requests)


def _offered(item, user):
    _overall, _results, current = approval_rules.evaluate(item, item.decisions, request=item)
    if current is None or user.pk not in current.spec.eligible:
        return None  # an earlier stage is someone else's: no need to word the refusal
    return approval_rules.offer(item, item.decisions, request=item, actor_id=user.pk).stage


def pending(user):
    items = candidates(user)
    if not items:
        return []
    korean = (get_language() or "").startswith("ko")
    label = str(LABEL)
    url = request_url(_URL_SENTINEL)
    by_request = {}
    for item in items:
        if item.request_id in by_request:
            continue
        stage = _offered(item, user)
        if stage is None:
            continue
        earlier = [a.created_at for a in item.decisions if a.stage_order < stage.order]
        name = (item.item_name_ko or item.item_name) if korean else (item.item_name or item.item_name_ko)
        by_request[item.request_id] = PendingApproval(
            kind="request", kind_label=label, number=item.number, title=item.title,
            url=url.replace(str(_URL_SENTINEL), str(item.request_id)), stage=f"{name}: {stage.name}",
            requested_by=item.requester or item.requester_username, since=max([item.created_at, *earlier]))
    return list(by_request.values())
