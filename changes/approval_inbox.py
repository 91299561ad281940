"""Changes as an approval source for the inbox (core.approvals): the changes awaiting
authorisation whose current stage this person may decide now.

The same rule as the record page and the service (changes.approvals.offer), with the stages,
decisions and waiting times of every candidate loaded together: one query for a person who can
decide nothing, five otherwise, whatever the number of changes.
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import F, Max, Q
from django.utils.translation import gettext_lazy as _

from accounts import roles
from changes import approvals as approval_rules, services
from changes.choices import RISK_BADGES, ChangeState, ChangeType, Risk
from changes.models import Approval, ApprovalStage, Change
from core.approvals import PendingApproval
from core.models import AuditEntry

LABEL = _("Change")


def _candidates(user):
    """Changes awaiting a decision where the person sits on (or, as a manager, stands in for) a
    stage of the policy: a superset of what they may decide now, narrowed by the rule."""
    could_decide = Q(approval_policy__stages__group__members=user)
    if roles.is_manager(user):
        could_decide |= Q(approval_policy__isnull=True) | Q(approval_policy__stages__managers_decide=True)
    ids = (Change.objects.filter(could_decide, state=ChangeState.AUTHORIZE, approved_at__isnull=True)
           .exclude(type=ChangeType.STANDARD).exclude(requested_by=user).values("pk"))
    return Change.objects.visible_to(user).filter(pk__in=ids)


def candidates_query(user):
    """The candidates' ids: empty, the badge needs no more (core.approvals runs it with the other
    sources' counts, and lists this source only when it has candidates)."""
    return _candidates(user).order_by().values("pk")


def candidates(user):
    return list(_candidates(user)
                .select_related("requested_by", "approval_policy")
                # What a row shows and the rule reads; not the plans, answers and conflicts.
                .only("pk", "number", "title", "type", "state", "risk", "approval_round", "approved_at",
                      "updated_at", "requested_by", "approval_policy")
                .order_by("pk"))


def _stages_by_policy(policy_ids):
    stages = {}
    for stage in (ApprovalStage.objects.filter(policy_id__in=policy_ids)
                  .annotate(member_ids=ArrayAgg("group__members__id", distinct=True, default=[]))):
        stages.setdefault(stage.policy_id, []).append((stage, {m for m in stage.member_ids if m is not None}))
    return stages


def _decisions_by_change(change_ids):
    by_change = {}
    for approval in (Approval.objects.filter(change_id__in=change_ids, round=F("change__approval_round"))
                     .only("change_id", "round", "stage_order", "approver_id", "decision", "created_at")):
        by_change.setdefault(approval.change_id, []).append(approval)
    return by_change


def _entered_authorize(change_ids):
    """When each change last entered authorize (its audit trail), the start of its wait."""
    return dict(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Change),
                                          object_id__in=change_ids, field="state", new_value=ChangeState.AUTHORIZE)
                .values("object_id").annotate(at=Max("created_at")).values_list("object_id", "at"))


def pending(user):
    changes = candidates(user)
    if not changes:
        return []
    ids = [c.pk for c in changes]
    stages = _stages_by_policy({c.approval_policy_id for c in changes if c.approval_policy_id})
    managers = services.fallback_approvers()
    decisions = _decisions_by_change(ids)
    entered = _entered_authorize(ids)
    items = []
    for change in changes:
        specs = (services.specs_from_stages(stages.get(change.approval_policy_id, []), managers=managers)
                 if change.approval_policy_id else services.default_specs(managers))
        mine = decisions.get(change.pk, [])
        offer = approval_rules.offer(specs, services.decision_facts(change, mine), actor_id=user.pk,
                                     requester_id=change.requested_by_id,
                                     one_vote_per_person=services.one_vote_per_person(change))
        if offer.stage is None:
            continue
        # The stage has waited since the change entered authorize, or since the earlier stage's
        # last decision of this round, whichever is later.
        since = max([entered.get(change.pk) or change.updated_at]
                    + [a.created_at for a in mine if a.stage_order < offer.stage.order])
        items.append(PendingApproval(
            kind="change", kind_label=str(LABEL), number=change.number, title=change.title,
            url=change.get_absolute_url(), stage=offer.stage.name, requested_by=str(change.requested_by),
            since=since, risk=change.risk, risk_label=Risk(change.risk).label if change.risk else "",
            risk_badge=RISK_BADGES.get(change.risk, "secondary")))
    return items
