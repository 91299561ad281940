"""Approvals of requested items: the plan snapshot taken at submission and the shared approval
rules (core.approval_rules) applied to it.

Who decides a stage, resolved once when the request is submitted (the catalog may change later,
a request in flight keeps its deciders):
- a line-manager stage: the line manager (`accounts.User.manager`) of the person the request is
  for;
- a group stage: the active members of the stage's group;
- never the person who placed the request nor the person it is for (a requester never approves
  their own request, and a manager ordering for their report does not approve it either);
- a stage left with nobody (no line manager on record, an empty group, or only the requesters
  themselves) falls to the holders of the manager role (managers, administrators): refusing the
  order would punish the person for a gap in the directory, and leaving it undecidable would
  strand it. The plan marks such a stage `fallback: true` so the desk sees why;
- a quorum larger than the people left to decide (a group smaller than its stage's quorum, or
  the requester sitting on the group) could never be met: the snapshot lowers it to the number
  of eligible approvers and keeps the configured one as `quorum_configured`. Lowered rather than
  refused when the catalog is edited: the requester and the group's membership are only known at
  submission, and a request must not wait forever on a vote nobody can cast. (Separation of
  duties is not foreseen here: a member who decided an earlier stage of the same item still
  counts among the eligible of a later one.)
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from catalog.models import ApproverKind
from core import approval_rules
from core.approval_rules import DecisionFact, StageSpec, Wording
from core.choices import ApprovalMode

WORDING = Wording(
    own=_("A requester never approves their own request."),
    not_required=_("This request needs no approval."),
    decided=_("The approval of this request is already decided (%(status)s)."),
    other_stage=_("You decided the stage “%(decided)s” of this request; the stage “%(stage)s” is for another "
                  "approver (one stage per person in each approval round)."),
    own_code="own_request",
)


def manager_approvers():
    """Active holders of the manager role (administrators and superusers included): the
    deciders of a stage that would otherwise have nobody."""
    User = get_user_model()
    return frozenset(User.objects.filter(Q(groups__name__in=[Role.MANAGER, Role.ADMIN]) | Q(is_superuser=True),
                                         is_active=True).values_list("pk", flat=True))


class _Managers:
    """manager_approvers(), read at most once per submission and only if a stage needs it."""

    def __init__(self):
        self._ids = None

    def __call__(self):
        if self._ids is None:
            self._ids = manager_approvers()
        return self._ids


def build_plan(stages, *, requested_by, requested_for, group_members, managers):
    """The approval plan snapshot of one item: a list of plain dicts, one per stage in order.

    `group_members` maps a group id to its active member ids; `managers()` answers the fallback
    deciders."""
    excluded = {requested_by.pk, requested_for.pk}
    plan = []
    for stage in sorted(stages, key=lambda s: s.order):
        if stage.approver == ApproverKind.LINE_MANAGER:
            eligible = {requested_for.manager_id} if requested_for.manager_id else set()
        else:
            eligible = set(group_members.get(stage.group_id, ()))
        eligible -= excluded
        fallback = not eligible
        if fallback:
            eligible = set(managers()) - excluded
        entry = {"order": stage.order, "name": stage.name, "approver": stage.approver,
                 "group": stage.group_id, "mode": stage.mode if not fallback else ApprovalMode.ANY,
                 "quorum": stage.quorum, "eligible": sorted(eligible), "fallback": fallback}
        if entry["mode"] == ApprovalMode.QUORUM and (stage.quorum or 1) > len(eligible):
            entry["quorum"], entry["quorum_configured"] = len(eligible), stage.quorum
        plan.append(entry)
    return plan


def specs(item):
    """The StageSpecs of an item's plan snapshot."""
    return [StageSpec(order=s["order"], name=s["name"], mode=s["mode"], quorum=s.get("quorum"),
                      eligible=frozenset(s["eligible"])) for s in item.approval_plan or ()]


def facts(item, approvals):
    """DecisionFacts of the item's current round from RequestApproval rows (already loaded)."""
    return [DecisionFact(a.stage_order, a.approver_id, a.decision) for a in approvals
            if a.request_item_id == item.pk and a.round == item.approval_round]


def evaluate(item, approvals, *, request):
    """(overall status, stage results, current stage result) of an item's round."""
    return approval_rules.evaluate(specs(item), facts(item, approvals), requester_id=request.requested_by_id)


def check_can_decide(item, approvals, *, request, actor_id, decision):
    return approval_rules.check_can_decide(
        specs(item), facts(item, approvals), actor_id=actor_id, requester_id=request.requested_by_id,
        requester_ids=(request.requested_for_id,), decision=decision, wording=WORDING)


def offer(item, approvals, *, request, actor_id):
    """The vote a person is offered now on one item (the stage, or why not)."""
    return approval_rules.offer(specs(item), facts(item, approvals), actor_id=actor_id,
                                requester_id=request.requested_by_id, requester_ids=(request.requested_for_id,),
                                wording=WORDING)


def waiting_stage(item, approvals, *, request):
    """The plan entry (dict) of the stage the item waits on, or None."""
    _overall, _results, current = evaluate(item, approvals, request=request)
    if current is None:
        return None
    return next((s for s in item.approval_plan if s["order"] == current.spec.order), None)
