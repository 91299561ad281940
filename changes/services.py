"""Change management use cases: the only writers of changes, approvals, reviews.

Each takes the actor and channel, runs atomically under the change's row lock, asks the pure
rules (workflow, risk, approvals, conflicts) and writes through core.services so that every
step is audited and versioned.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.roles import Role
from changes import approvals as approval_rules, conflicts as conflict_rules, risk as risk_rules, workflow
from changes.choices import ApprovalStatus, ChangeState as S, ChangeType as T, ConflictKind, Decision
from changes.models import Approval, ApprovalPolicy, Change, PostImplementationReview
from core import audit, events, services as core_services
from core.choices import AuditAction
from core.exceptions import DomainError, PermissionRefused

# Fields fixed once the change is submitted for authorisation: changing them would make the
# approvals given meaningless. Send the change back to assess to edit them.
PLAN_FIELDS = frozenset({"type", "risk", "planned_start", "planned_end", "implementation_plan", "backout_plan",
                         "test_plan", "emergency_reason", "template"})
EDITABLE_PLAN_STATES = frozenset({S.NEW, S.ASSESS})


def _require_desk(actor):
    if not roles.is_agent(actor):
        raise PermissionRefused(_("Only service desk staff can work on changes."))


# --- creation and edits ---------------------------------------------------------------------

@transaction.atomic
def create_change(*, actor, channel, affected_cis=(), caused_incidents=(), **fields):
    """Raise a request for change. A template makes it a standard change with the template's plans."""
    _require_desk(actor)
    return _create_change(actor=actor, channel=channel, affected_cis=affected_cis, caused_incidents=caused_incidents,
                          **fields)


@transaction.atomic
def raise_standard_change(template, *, actor, channel, requested_by, title, description="", assignment_group=None):
    """A standard change raised by a process on someone's behalf (a step of a request's fulfilment
    plan): pre-approved by its template, so the person whose action raised it need not be desk
    staff. Everything else is create_change's."""
    fields = {"template": template, "title": title[:200], "description": description, "requested_by": requested_by}
    if assignment_group is not None and not template.assignment_group_id:
        fields["assignment_group"] = assignment_group
    return _create_change(actor=actor, channel=channel, **fields)


@transaction.atomic
def withdraw_raised_change(change, *, actor, channel, reason):
    """The record that raised `change` (a request's plan step) was withdrawn by `actor`, who need
    not be desk staff: a change not yet being implemented is cancelled (its workflow allows it:
    new, scheduled); one already being implemented or reviewed is not undone by a form, so its
    implementers get a work note saying why the work is no longer wanted and decide how to back
    out. A closed or cancelled change is left alone. Returns "cancelled", "noted" or None."""
    locked = core_services.lock_for_update(change)
    if Change.lifecycle.is_terminal(locked.state):
        return None
    if S.CANCELLED in workflow.allowed_targets(locked.type, locked.state):
        core_services.transition(locked, S.CANCELLED, actor=actor, channel=channel, is_agent=True,
                                 audit_context={"reason": reason})
        return "cancelled"
    core_services.add_comment(locked, actor=actor, channel=channel, body=reason, internal=True, by_process=True)
    return "noted"


def _create_change(*, actor, channel, affected_cis=(), caused_incidents=(), **fields):
    core_services.check_editable(Change, fields, actor, creating=True)
    template = fields.get("template")
    if template is not None:
        if not template.active:
            raise DomainError(_("This standard change template is no longer active."), field="template")
        fields["type"] = T.STANDARD
        for name in ("implementation_plan", "backout_plan", "test_plan"):
            if not (fields.get(name) or "").strip():
                fields[name] = getattr(template, name)
        fields["risk"] = template.risk
        if fields.get("assignment_group") is None and template.assignment_group_id:
            fields["assignment_group"] = template.assignment_group
    fields.setdefault("requested_by", actor)
    workflow.check_window(fields.get("planned_start"), fields.get("planned_end"), required=False)
    m2m = {"affected_cis": [getattr(c, "pk", c) for c in affected_cis]}
    if caused_incidents:
        m2m["caused_incidents"] = [getattr(i, "pk", i) for i in caused_incidents]
    return core_services.create_ticket(Change, actor=actor, channel=channel, m2m=m2m, **fields)


@transaction.atomic
def update_change(change, *, actor, channel, changes, expected_version=None, affected_cis=None,
                  caused_incidents=None, reason="", outcome=None):
    """Edit a change. Plan fields and CIs only while new or in assessment; a `state` in
    `changes` is handed to transition_change after the edits."""
    _require_desk(actor)
    changes = dict(changes)
    target = changes.pop("state", None)
    core_services.check_editable(Change, changes, actor)
    locked = core_services.lock_for_update(change, expected_version)
    plan_edits = {k for k, v in changes.items() if k in PLAN_FIELDS and audit.raw_value(v)
                  != audit.raw_value(audit.field_value(locked, k))}
    if (plan_edits or affected_cis is not None) and locked.state not in EDITABLE_PLAN_STATES:
        current = set(locked.affected_cis.values_list("pk", flat=True))
        if plan_edits or {getattr(c, "pk", c) for c in affected_cis} != current:
            raise DomainError(
                _("Plans, window, risk and CIs can only be edited while the change is new or being assessed."),
                field=sorted(plan_edits)[0] if plan_edits else "affected_cis", code="frozen",
            )
    if "assigned_to" in changes or "assignment_group" in changes:
        core_services.assignment_changes(group=changes.get("assignment_group", locked.assignment_group),
                                         person=changes.get("assigned_to", locked.assigned_to))
    workflow.check_window(changes.get("planned_start", locked.planned_start),
                          changes.get("planned_end", locked.planned_end), required=False)
    if changes:
        locked, _diff = core_services.update_ticket(locked, actor=actor, channel=channel, changes=changes,
                                                    expected_version=locked.version)
    if affected_cis is not None:
        locked = core_services.set_links(locked, field="affected_cis", targets=affected_cis, actor=actor,
                                         channel=channel)
    if caused_incidents is not None:
        locked = core_services.set_links(locked, field="caused_incidents", targets=caused_incidents,
                                         actor=actor, channel=channel)
    if target is not None and target != locked.state:
        locked = transition_change(locked, actor=actor, channel=channel, target=target, reason=reason,
                                   outcome=outcome)
    return locked


# --- risk -----------------------------------------------------------------------------------

@transaction.atomic
def assess_risk(change, *, actor, channel, answers, expected_version=None):
    """Score the change from the questionnaire and the CMDB (criticality and downstream impact)."""
    _require_desk(actor)
    locked = core_services.lock_for_update(change, expected_version)
    if locked.state not in EDITABLE_PLAN_STATES:
        raise DomainError(_("Risk is assessed while the change is new or being assessed."), field="risk",
                          code="frozen")
    try:
        answers = risk_rules.validate_answers(answers)
    except ValueError as exc:
        raise DomainError(str(exc), field="answers") from exc
    ci_ids = list(locked.affected_cis.values_list("pk", flat=True))
    criticalities = list(locked.affected_cis.values_list("criticality", flat=True))
    impact = conflict_rules.downstream_impact(ci_ids)
    result = risk_rules.assess(answers, criticalities=criticalities, impact_size=impact.ci_count,
                               business_services=len(impact.services))
    locked, _diff = core_services.update_ticket(
        locked, actor=actor, channel=channel, expected_version=locked.version,
        changes={"risk": result.level, "risk_score": result.score, "risk_answers": answers,
                 "impacted_services": impact.services, "impacted_ci_count": impact.ci_count},
        audit_context={"risk_factors": result.reasons},
    )
    return locked, result


# --- approvals ------------------------------------------------------------------------------

def choose_policy(change_type, risk):
    """The most specific active policy: (type, risk) before (type, any risk)."""
    return (ApprovalPolicy.objects.filter(active=True, change_type=change_type)
            .filter(Q(risk=risk) | Q(risk="")).order_by("-risk").first())


def fallback_approvers():
    """Holders of the manager role (administrators and superusers included): they approve under
    the default policy and on stages marked `managers_decide`."""
    User = get_user_model()
    return frozenset(User.objects.filter(Q(groups__name__in=[Role.MANAGER, Role.ADMIN]) | Q(is_superuser=True))
                     .values_list("pk", flat=True))


def stage_specs(change):
    """The stages the change's approval round is worked against, with who may decide each."""
    if change.type == T.STANDARD:
        return []
    policy = change.approval_policy
    if policy is None:
        return default_specs(fallback_approvers())
    stages = [(s, frozenset(m.pk for m in s.group.members.all())) for s in
              policy.stages.select_related("group").prefetch_related("group__members").order_by("order")]
    managers = fallback_approvers() if any(s.managers_decide for s, _members in stages) else frozenset()
    return specs_from_stages(stages, managers=managers)


def default_specs(managers):
    """No policy configured for the change's type and risk: any change manager decides."""
    return [approval_rules.StageSpec(order=1, name=str(_("Change manager")), mode="any", eligible=managers)]


def specs_from_stages(stages, *, managers):
    """StageSpecs from a policy's (stage, member ids) pairs. Shared by the record page, the
    service and the approvals inbox, which loads the stages of many changes at once."""
    return [approval_rules.StageSpec(order=s.order, name=s.name, mode=s.mode, quorum=s.quorum, stage_id=s.pk,
                                     eligible=frozenset(members) | (managers if s.managers_decide else frozenset()))
            for s, members in sorted(stages, key=lambda pair: pair[0].order)]


def one_vote_per_person(change):
    """Separation of duties holds unless the change's policy explicitly lets approvers repeat."""
    policy = change.approval_policy
    return not (policy is not None and policy.approvers_may_repeat)


def decision_facts(change, approvals=None):
    if approvals is None:
        approvals = change.approvals.filter(round=change.approval_round)
    return [approval_rules.DecisionFact(a.stage_order, a.approver_id, a.decision) for a in approvals
            if a.round == change.approval_round]


def approval_status(change):
    """(overall status, stage results) of the current round."""
    if change.type == T.STANDARD:
        return ApprovalStatus.NOT_REQUIRED, []
    if change.state in (S.NEW, S.ASSESS) and change.approved_at is None:
        return ApprovalStatus.PENDING, []
    overall, results, _current = approval_rules.evaluate(stage_specs(change), decision_facts(change),
                                                         requester_id=change.requested_by_id,
                                                         one_vote_per_person=one_vote_per_person(change))
    return overall, results


@transaction.atomic
def decide_approval(change, *, actor, channel, decision, comment=""):
    """Approve or reject the current stage of a change awaiting authorisation; audited.

    When the last stage approves, the change is scheduled (unless a freeze blocks it, then it
    stays approved in authorize); a rejection sends it back to assessment for a new round.
    """
    locked = core_services.lock_for_update(change)
    if locked.state != S.AUTHORIZE:
        raise DomainError(_("Only a change awaiting authorisation can be approved or rejected (it is %(state)s).")
                          % {"state": locked.get_state_display()}, field="state", code="not_authorize")
    comment = (comment or "").strip()
    if decision == Decision.REJECT and not comment:
        raise DomainError(_("Say why the change is rejected."), field="comment", code="required")
    workflow.check_ready_for_approval(workflow_facts(locked))
    specs = stage_specs(locked)
    one_vote = one_vote_per_person(locked)
    spec = approval_rules.check_can_decide(specs, decision_facts(locked), actor_id=getattr(actor, "pk", None),
                                           requester_id=locked.requested_by_id, decision=decision,
                                           one_vote_per_person=one_vote)
    now = timezone.now()
    approval = Approval.objects.create(change=locked, round=locked.approval_round, stage_id=spec.stage_id,
                                       stage_order=spec.order, stage_name=spec.name, approver=actor,
                                       decision=decision, comment=comment, created_at=now)
    audit.record(locked, actor=actor, channel=channel, action=AuditAction.UPDATED, field="approval",
                 new=decision, at=now,
                 context={"reason": comment, "stage": spec.name, "round": locked.approval_round,
                          "approval_id": approval.pk})
    overall, _results, _current = approval_rules.evaluate(specs, decision_facts(locked),
                                                          requester_id=locked.requested_by_id, one_vote_per_person=one_vote)
    if overall in (ApprovalStatus.APPROVED, ApprovalStatus.REJECTED):
        events.publish("change.approved" if overall == ApprovalStatus.APPROVED else "change.rejected", locked,
                       actor=actor, channel=channel, at=now,
                       data={"approval": approval.pk, "round": locked.approval_round, "comment": comment})
    if overall == ApprovalStatus.APPROVED:
        locked, _diff = core_services.update_ticket(locked, actor=actor, channel=channel,
                                                    changes={"approved_at": now}, expected_version=locked.version)
        try:
            with transaction.atomic():
                locked = transition_change(locked, actor=actor, channel=channel, target=S.SCHEDULED,
                                           reason=_("Approved"))
        except DomainError:
            # A freeze (say) keeps the approved change in authorize; conflicts are stored for the page.
            locked = Change.objects.get(pk=locked.pk)
            store_conflicts(locked)
    elif overall == ApprovalStatus.REJECTED:
        locked = transition_change(locked, actor=actor, channel=channel, target=S.ASSESS,
                                   reason=_("Rejected: %(comment)s") % {"comment": comment})
    else:
        core_services.touch(locked, now=now)
    return approval, locked


# --- transitions ----------------------------------------------------------------------------

def workflow_facts(change, *, approved=None, freeze_blocks=False, outcome=None):
    return workflow.facts_for(change, approved=approved, freeze_blocks=freeze_blocks, outcome=outcome,
                              has_pir=PostImplementationReview.objects.filter(change_id=change.pk).exists())


@transaction.atomic
def transition_change(change, *, actor, channel, target, expected_version=None, outcome=None, reason=""):
    """Move a change to `target` if the life cycle and its guards allow it."""
    _require_desk(actor)
    locked = core_services.lock_for_update(change, expected_version)
    now = timezone.now()
    changes = {}
    freeze = False
    if target == S.SCHEDULED:
        impact, found, checked = conflict_rules.check_change(locked)
        freeze = conflict_rules.freeze_blocks(found) and locked.type != T.EMERGENCY
        for item in found:
            if item["kind"] == ConflictKind.FREEZE:
                item["blocking"] = locked.type != T.EMERGENCY
        changes.update(impacted_services=impact.services, impacted_ci_count=impact.ci_count, conflicts=found,
                       conflicts_checked_at=checked)
    facts = workflow_facts(locked, freeze_blocks=freeze, outcome=outcome)

    def prepare(locked, facts):
        # Derived by the life cycle, not sent by the caller. actual_start/actual_end are stamped
        # by core.services.transition (Change.lifecycle.timestamps) unless already set.
        if target == S.AUTHORIZE:
            changes["approval_policy"] = choose_policy(locked.type, locked.risk)
            changes["approved_at"] = None
        elif target == S.ASSESS and locked.state in (S.AUTHORIZE, S.SCHEDULED):
            # Back for rework: the approvals given so far belong to the old round.
            changes["approval_round"] = locked.approval_round + 1
            changes["approved_at"] = None
        elif target == S.IMPLEMENT:
            if locked.state == S.AUTHORIZE and locked.type == T.EMERGENCY:
                impact = conflict_rules.downstream_impact(locked.affected_cis.values_list("pk", flat=True))
                changes.update(impacted_services=impact.services, impacted_ci_count=impact.ci_count)
        elif target == S.REVIEW:
            changes["outcome"] = facts.outcome
        return changes

    locked, _diff = core_services.transition(
        locked, target, actor=actor, channel=channel, is_agent=True, facts=facts, prepare=prepare, now=now,
        audit_context={"reason": reason} if reason else None,
    )
    return locked


def store_conflicts(change):
    """Re-check and store a change's conflicts (derived data: not audited, version unchanged).

    Reads compute them afresh (conflicts.current); the stored ones record the last check."""
    impact, found, checked = conflict_rules.check_change(change)
    for item in found:
        if item["kind"] == ConflictKind.FREEZE:
            item["blocking"] = change.type != T.EMERGENCY
    Change.objects.filter(pk=change.pk).update(conflicts=found, conflicts_checked_at=checked,
                                               impacted_services=impact.services,
                                               impacted_ci_count=impact.ci_count)
    change.conflicts, change.conflicts_checked_at = found, checked
    change.impacted_services, change.impacted_ci_count = impact.services, impact.ci_count
    return found


@transaction.atomic
def record_pir(change, *, actor, channel, summary, lessons_learned="", follow_up_actions=""):
    """Write (or revise) the post-implementation review of a change under review."""
    _require_desk(actor)
    locked = core_services.lock_for_update(change)
    if locked.state != S.REVIEW:
        raise DomainError(_("A post-implementation review is written while the change is in review."),
                          field="state", code="not_review")
    summary = (summary or "").strip()
    if not summary:
        raise DomainError(_("The review needs a summary."), field="summary", code="required")
    pir, created = PostImplementationReview.objects.update_or_create(
        change=locked, defaults={"summary": summary, "lessons_learned": lessons_learned or "",
                                 "follow_up_actions": follow_up_actions or "", "reviewed_by": actor},
    )
    audit.record(locked, actor=actor, channel=channel, action=AuditAction.UPDATED, field="pir",
                 new=summary[:200], context={"reason": _("Post-implementation review recorded")})
    core_services.touch(locked)
    return pir
