"""Approval policy evaluation: stages in order, each passed by any one, all, or a quorum of
its group. Pure: the service passes stages and decisions in as plain values.

Rules:
- stages are worked in order; a decision can only be given on the current stage;
- any rejection rejects the stage and with it the change (a CAB member's veto);
- "all" means every eligible member, and the requester is never eligible (a requester never
  approves their own change), so a requester who sits on the board does not block it;
- one decision per approver per stage per round: approving twice is refused;
- only members of the stage's group may decide.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from changes.choices import ApprovalMode, ApprovalStatus, Decision
from core.exceptions import DomainError, PermissionRefused


@dataclass(frozen=True)
class StageSpec:
    order: int
    name: str
    mode: str
    eligible: frozenset  # user ids allowed to decide on this stage
    quorum: int | None = None
    stage_id: int | None = None


@dataclass(frozen=True)
class DecisionFact:
    stage_order: int
    approver_id: int
    decision: str


@dataclass
class StageResult:
    spec: StageSpec
    status: str
    approvals: int = 0
    rejections: int = 0
    required: int = 0
    decided_by: set = field(default_factory=set)


def required_count(spec, requester_id):
    eligible = spec.eligible - {requester_id}
    if spec.mode == ApprovalMode.ANY:
        return 1
    if spec.mode == ApprovalMode.ALL:
        return max(len(eligible), 1)
    return max(int(spec.quorum or 1), 1)


def evaluate(stages, decisions, *, requester_id=None):
    """Return (overall status, [StageResult...], current stage result or None)."""
    stages = sorted(stages, key=lambda s: s.order)
    if not stages:
        return ApprovalStatus.NOT_REQUIRED, [], None
    results = []
    current = None
    overall = ApprovalStatus.APPROVED
    blocked = False
    for spec in stages:
        mine = [d for d in decisions if d.stage_order == spec.order]
        result = StageResult(spec=spec, status=ApprovalStatus.PENDING, required=required_count(spec, requester_id))
        result.approvals = sum(1 for d in mine if d.decision == Decision.APPROVE)
        result.rejections = sum(1 for d in mine if d.decision == Decision.REJECT)
        result.decided_by = {d.approver_id for d in mine}
        if blocked:
            results.append(result)
            continue
        if result.rejections:
            result.status = ApprovalStatus.REJECTED
            overall = ApprovalStatus.REJECTED
            blocked = True
        elif result.approvals >= result.required:
            result.status = ApprovalStatus.APPROVED
        else:
            overall = ApprovalStatus.PENDING
            current = result
            blocked = True
        results.append(result)
    return overall, results, current


def check_can_decide(stages, decisions, *, actor_id, requester_id, decision):
    """Refuse a decision that the rules do not allow; return the stage it applies to."""
    if decision not in Decision.values:
        raise DomainError(_("Decision must be approve or reject."), field="decision", code="invalid")
    if actor_id is not None and actor_id == requester_id:
        raise PermissionRefused(_("A requester never approves their own change."))
    overall, _results, current = evaluate(stages, decisions, requester_id=requester_id)
    if overall == ApprovalStatus.NOT_REQUIRED:
        raise DomainError(_("This change needs no approval."), code="not_required")
    if overall != ApprovalStatus.PENDING or current is None:
        raise DomainError(_("The approval of this change is already decided (%(status)s).") % {"status": overall},
                          code="decided")
    if actor_id in current.decided_by:
        raise DomainError(_("You have already given your decision on this stage."), code="already_decided")
    if actor_id not in current.spec.eligible:
        raise PermissionRefused(
            _("You are not an approver of the stage “%(stage)s”.") % {"stage": current.spec.name}
        )
    return current.spec
