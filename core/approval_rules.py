"""Approval policy evaluation, shared by every record that is approved stage by stage (changes,
requested catalog items): stages in order, each passed by any one, all, or a quorum of its
group. Pure: the service passes stages and decisions in as plain values, and a `Wording` that
names the record in the refusals people read ("their own change", "their own request").

Rules:
- stages are worked in order; a decision can only be given on the current stage;
- any rejection rejects the stage and with it the record (a CAB member's veto);
- "all" means every eligible member, and the requester is never eligible (a requester never
  approves their own change or request), so a requester who sits on the board does not block it;
- one decision per approver per stage per round: approving twice is refused;
- one stage per approver per record per round (separation of duties): whoever decided a stage
  is not counted again on a later stage of the same round, so the change manager's approval
  and the board's are given by different people. A policy may allow it explicitly
  (`ApprovalPolicy.approvers_may_repeat`, `one_vote_per_person=False` here) for a board too
  small to staff its stages separately. While the rule holds, an "all" stage needs every
  eligible member who has not decided an earlier stage; a quorum is not lowered (a policy whose
  quorum cannot be met by the remaining members must allow repeats or grow its board);
- only members of the stage's group may decide.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _, gettext_lazy, ngettext

from core.choices import ApprovalMode, ApprovalStatus, Decision
from core.exceptions import DomainError, PermissionRefused


@dataclass(frozen=True)
class Wording:
    """The refusals of one record type, written whole so that each reads naturally in Korean
    (a noun slotted into a sentence does not). `own_code` is the Offer code of "your own"."""

    own: object
    not_required: object
    decided: object          # %(status)s
    other_stage: object      # %(decided)s, %(stage)s
    own_code: str = "own_record"


GENERIC = Wording(
    own=gettext_lazy("A requester never approves what they asked for."),
    not_required=gettext_lazy("No approval is needed."),
    decided=gettext_lazy("The approval is already decided (%(status)s)."),
    other_stage=gettext_lazy("You decided the stage “%(decided)s”; the stage “%(stage)s” is for another approver "
                             "(one stage per person in each approval round)."),
)


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

    @property
    def status_label(self):
        return ApprovalStatus(self.status).label

    @property
    def rule_label(self):
        """Who decides the stage, in words (the panel's "any one member", not the code "any")."""
        if self.spec.mode == ApprovalMode.ALL:
            return _("every member")
        if self.spec.mode == ApprovalMode.QUORUM:
            return ngettext("quorum of %(count)s", "quorum of %(count)s", self.required) % {"count": self.required}
        return _("any one member")

    @property
    def tally_label(self):
        return ngettext("%(approvals)s of %(required)s approval", "%(approvals)s of %(required)s approvals",
                        self.required) % {"approvals": self.approvals, "required": self.required}


class AlreadyDecided(DomainError):
    """The person has given their decision for this record's round: a second click, or another
    stage's vote, is a conflict with what is recorded, not bad input."""

    status_code = 409

    def __init__(self, message, *, code):
        super().__init__(message, code=code)


# Refusals that are about the person, worth telling them on the page (why the buttons are gone).
PERSONAL_REFUSALS = frozenset({"already_decided", "decided_other_stage"})


@dataclass(frozen=True)
class Offer:
    """What a person is offered on a record: the stage their vote is for, or why not."""

    stage: StageSpec | None
    reason: str = ""
    code: str = ""

    @property
    def personal(self):
        return self.code in PERSONAL_REFUSALS or self.code.startswith("own_")


def required_count(spec, requester_id, excluded=frozenset()):
    eligible = spec.eligible - {requester_id} - set(excluded)
    if spec.mode == ApprovalMode.ANY:
        return 1
    if spec.mode == ApprovalMode.ALL:
        return max(len(eligible), 1)
    return max(int(spec.quorum or 1), 1)


def evaluate(stages, decisions, *, requester_id=None, one_vote_per_person=True):
    """Return (overall status, [StageResult...], current stage result or None)."""
    stages = sorted(stages, key=lambda s: s.order)
    if not stages:
        return ApprovalStatus.NOT_REQUIRED, [], None
    results = []
    current = None
    overall = ApprovalStatus.APPROVED
    blocked = False
    earlier_voters = set()
    for spec in stages:
        mine = [d for d in decisions if d.stage_order == spec.order]
        result = StageResult(spec=spec, status=ApprovalStatus.PENDING,
                             required=required_count(spec, requester_id,
                                                     earlier_voters if one_vote_per_person else ()))
        result.approvals = sum(1 for d in mine if d.decision == Decision.APPROVE)
        result.rejections = sum(1 for d in mine if d.decision == Decision.REJECT)
        result.decided_by = {d.approver_id for d in mine}
        earlier_voters |= result.decided_by
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


def check_can_decide(stages, decisions, *, actor_id, requester_id, decision, one_vote_per_person=True,
                     wording=GENERIC, requester_ids=()):
    """Refuse a decision that the rules do not allow; return the stage it applies to.

    `requester_ids` are further people who never decide (a request's placer and the person it
    is for); `requester_id` is the one the "all" count leaves out."""
    if decision not in Decision.values:
        raise DomainError(_("Decision must be approve or reject."), field="decision", code="invalid")
    if actor_id is not None and (actor_id == requester_id or actor_id in set(requester_ids)):
        raise PermissionRefused(str(wording.own))
    overall, results, current = evaluate(stages, decisions, requester_id=requester_id,
                                         one_vote_per_person=one_vote_per_person)
    if overall == ApprovalStatus.NOT_REQUIRED:
        raise DomainError(str(wording.not_required), code="not_required")
    if overall != ApprovalStatus.PENDING or current is None:
        raise DomainError(str(wording.decided) % {"status": ApprovalStatus(overall).label}, code="decided")
    if actor_id in current.decided_by:
        raise AlreadyDecided(_("You have already given your decision on the stage “%(stage)s”.")
                             % {"stage": current.spec.name}, code="already_decided")
    if one_vote_per_person:
        earlier = next((r for r in results if r.spec.order < current.spec.order and actor_id in r.decided_by), None)
        if earlier is not None:
            raise AlreadyDecided(str(wording.other_stage) % {"decided": earlier.spec.name, "stage": current.spec.name},
                                 code="decided_other_stage")
    if actor_id not in current.spec.eligible:
        raise PermissionRefused(
            _("You are not an approver of the stage “%(stage)s”.") % {"stage": current.spec.name}
        )
    return current.spec


def offer(stages, decisions, *, actor_id, requester_id, one_vote_per_person=True, wording=GENERIC,
          requester_ids=()):
    """The vote a person is offered now (the same rule as a decision, asked before the click)."""
    try:
        spec = check_can_decide(stages, decisions, actor_id=actor_id, requester_id=requester_id,
                                decision=Decision.APPROVE, one_vote_per_person=one_vote_per_person,
                                wording=wording, requester_ids=requester_ids)
    except PermissionRefused as exc:
        own = actor_id is not None and (actor_id == requester_id or actor_id in set(requester_ids))
        return Offer(stage=None, reason=str(exc.message), code=wording.own_code if own else exc.code)
    except DomainError as exc:
        return Offer(stage=None, reason=str(exc.message), code=exc.code)
    return Offer(stage=spec)
