"""Change use cases against the database: life cycle, approvals, risk, reviews, audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from changes import services
from changes.choices import ApprovalMode, ApprovalStatus, ChangeState as S, ChangeType as T, Outcome, Risk
from changes.models import Approval, Change
from changes.tests.factories import (
    START, make_change, make_ci, make_group, make_policy, make_template, needs, schedule, service, to_authorize,
)
from core.choices import AuditAction, Channel
from core.exceptions import DomainError, InvalidTransition, PermissionRefused, StaleVersion
from core.models import AuditEntry

pytestmark = pytest.mark.django_db
WEB = Channel.WEB


def audit_fields(change):
    return list(AuditEntry.objects.for_object(change).values_list("action", "field"))


def test_create_numbers_and_audits(requester):
    change = make_change(requester)
    assert change.number.startswith("CHG")
    assert change.state == S.NEW
    assert change.requested_by == requester
    assert (AuditAction.CREATED, "") in audit_fields(change)


def test_window_ending_before_start_is_a_clear_error(requester):
    with pytest.raises(DomainError) as info:
        make_change(requester, start=START, hours=-1)
    assert info.value.field == "planned_end"
    assert Change.objects.count() == 0


def test_emergency_without_reason_refused(requester):
    with pytest.raises(ValidationError) as info:
        make_change(requester, type=T.EMERGENCY, emergency_reason="")
    assert "emergency_reason" in info.value.message_dict


def test_end_user_cannot_raise_change(end_user):
    with pytest.raises(PermissionRefused):
        make_change(end_user)


def test_standard_change_from_template_needs_no_approval(requester):
    template = make_template()
    change = services.create_change(actor=requester, channel=WEB, title="Restart", template=template,
                                    planned_start=START, planned_end=START + timedelta(hours=1))
    assert (change.type, change.risk, change.backout_plan) == (T.STANDARD, Risk.LOW, template.backout_plan)
    change = services.transition_change(change, actor=requester, channel=WEB, target=S.SCHEDULED)
    assert change.state == S.SCHEDULED
    assert services.approval_status(change)[0] == ApprovalStatus.NOT_REQUIRED


def test_normal_change_full_life_cycle(requester, manager):
    # given a normal change approved by a change manager (no policy configured: the fallback)
    change = schedule(make_change(requester), requester, manager)
    assert change.state == S.SCHEDULED
    assert change.approved_at is not None
    # when it is implemented and reviewed
    change = services.transition_change(change, actor=requester, channel=WEB, target=S.IMPLEMENT)
    assert change.actual_start is not None
    change = services.transition_change(change, actor=requester, channel=WEB, target=S.REVIEW,
                                        outcome=Outcome.SUCCESSFUL)
    change = services.transition_change(change, actor=requester, channel=WEB, target=S.CLOSED)
    # then
    assert (change.state, change.outcome) == (S.CLOSED, Outcome.SUCCESSFUL)
    states = [e.new_value for e in AuditEntry.objects.for_object(change).filter(field="state")]
    assert states == [S.ASSESS, S.AUTHORIZE, S.SCHEDULED, S.IMPLEMENT, S.REVIEW, S.CLOSED]


def test_cannot_schedule_without_approval(requester):
    change = to_authorize(make_change(requester), requester)
    with pytest.raises(DomainError) as info:
        services.transition_change(change, actor=requester, channel=WEB, target=S.SCHEDULED)
    assert info.value.code == "not_approved"
    assert Change.objects.get(pk=change.pk).state == S.AUTHORIZE


def test_invalid_transition_names_allowed(requester):
    change = make_change(requester)
    with pytest.raises(InvalidTransition) as info:
        services.transition_change(change, actor=requester, channel=WEB, target=S.CLOSED)
    assert info.value.allowed == [S.ASSESS, S.CANCELLED]


def test_requester_never_approves_own_change(requester, manager):
    change = to_authorize(make_change(requester), requester)
    requester.groups.add(*manager.groups.all())  # even a manager cannot approve their own change
    requester._role_names = None
    with pytest.raises(PermissionRefused):
        services.decide_approval(change, actor=requester, channel=WEB, decision="approve")
    assert Approval.objects.count() == 0


def test_policy_stages_all_then_quorum(requester, cab, manager):
    # given a two-stage policy: all of the tech leads, then 2 of 3 CAB members
    leads = make_group("Tech leads", [manager, requester])
    board = make_group("CAB", cab)
    make_policy(T.NORMAL, [(leads, ApprovalMode.ALL, None), (board, ApprovalMode.QUORUM, 2)], risk=Risk.MODERATE)
    change = to_authorize(make_change(requester), requester, risk=Risk.MODERATE)
    assert change.approval_policy is not None
    # when the lead approves (the requester, also a lead, is not required), then one CAB member
    services.decide_approval(change, actor=manager, channel=WEB, decision="approve", comment="ok")
    _a, change = services.decide_approval(change, actor=cab[0], channel=WEB, decision="approve")
    assert change.state == S.AUTHORIZE
    status, results = services.approval_status(change)
    assert status == ApprovalStatus.PENDING
    assert [r.status for r in results] == [ApprovalStatus.APPROVED, ApprovalStatus.PENDING]
    # then the second CAB member completes the quorum and the change is scheduled
    _a, change = services.decide_approval(change, actor=cab[2], channel=WEB, decision="approve")
    assert change.state == S.SCHEDULED
    assert AuditEntry.objects.for_object(change).filter(field="approval").count() == 3


def test_approving_twice_refused(requester, cab):
    make_policy(T.NORMAL, [(make_group("CAB", cab), ApprovalMode.ALL, None)])
    change = to_authorize(make_change(requester), requester)
    services.decide_approval(change, actor=cab[0], channel=WEB, decision="approve")
    with pytest.raises(DomainError) as info:
        services.decide_approval(change, actor=cab[0], channel=WEB, decision="approve")
    assert info.value.code == "already_decided"
    assert Approval.objects.count() == 1


def test_approving_without_right_refused(requester, cab, other_agent):
    make_policy(T.NORMAL, [(make_group("CAB", cab), ApprovalMode.ANY, None)])
    change = to_authorize(make_change(requester), requester)
    with pytest.raises(PermissionRefused):
        services.decide_approval(change, actor=other_agent, channel=WEB, decision="approve")
    assert Approval.objects.count() == 0


def test_rejection_sends_back_to_assess_with_new_round(requester, manager):
    change = to_authorize(make_change(requester), requester)
    with pytest.raises(DomainError):
        services.decide_approval(change, actor=manager, channel=WEB, decision="reject", comment="")
    _a, change = services.decide_approval(change, actor=manager, channel=WEB, decision="reject",
                                          comment="Backout plan is too thin")
    assert (change.state, change.approval_round) == (S.ASSESS, 2)
    # the old round's rejection does not block the new one
    change = services.transition_change(change, actor=requester, channel=WEB, target=S.AUTHORIZE)
    _a, change = services.decide_approval(change, actor=manager, channel=WEB, decision="approve")
    assert change.state == S.SCHEDULED


def test_emergency_policy_uses_small_board(requester, cab):
    make_policy(T.EMERGENCY, [(make_group("ECAB", cab[:1]), ApprovalMode.ANY, None)])
    change = make_change(requester, type=T.EMERGENCY)
    change = services.transition_change(change, actor=requester, channel=WEB, target=S.AUTHORIZE)
    _a, change = services.decide_approval(change, actor=cab[0], channel=WEB, decision="approve")
    assert change.state == S.SCHEDULED


def test_plans_frozen_after_submission(requester):
    change = to_authorize(make_change(requester), requester)
    with pytest.raises(DomainError) as info:
        services.update_change(change, actor=requester, channel=WEB, changes={"backout_plan": ""})
    assert info.value.code == "frozen"
    assert Change.objects.get(pk=change.pk).backout_plan != ""


def test_stale_version_refused_and_nothing_changes(requester):
    change = make_change(requester)
    with pytest.raises(StaleVersion):
        services.update_change(change, actor=requester, channel=WEB, changes={"title": "x"},
                               expected_version=change.version + 5)
    assert Change.objects.get(pk=change.pk).title == "Patch the web servers"


def test_failed_change_needs_pir_to_close(requester, manager):
    change = schedule(make_change(requester), requester, manager)
    change = services.transition_change(change, actor=requester, channel=WEB, target=S.IMPLEMENT)
    change = services.transition_change(change, actor=requester, channel=WEB, target=S.REVIEW,
                                        outcome=Outcome.BACKED_OUT)
    with pytest.raises(DomainError) as info:
        services.transition_change(change, actor=requester, channel=WEB, target=S.CLOSED)
    assert info.value.code == "pir_required"
    services.record_pir(change, actor=manager, channel=WEB, summary="Disk filled during patching",
                        lessons_learned="Check free space first")
    change = services.transition_change(Change.objects.get(pk=change.pk), actor=requester, channel=WEB,
                                        target=S.CLOSED)
    assert change.state == S.CLOSED
    assert change.pir.summary == "Disk filled during patching"


def test_risk_assessment_uses_cmdb(requester):
    # given a critical database under an application under a business service
    db = make_ci("db01", "database", criticality=1)
    app = make_ci("erp-app", "application")
    svc = service("ERP")
    needs(app, db)
    needs(svc, app)
    change = make_change(requester, cis=[db])
    # when
    change, result = services.assess_risk(change, actor=requester, channel=WEB,
                                          answers={"outage_required": True, "first_time": False, "tested": True,
                                                   "backout_tested": True, "customer_facing": True})
    # then: 3 (outage) + 1 (customers) + 4 (criticality 1) + 1 (2 downstream CIs) = 9
    assert (result.score, change.risk) == (9, Risk.HIGH)
    assert change.impacted_services == [svc.pk]
    assert change.impacted_ci_count == 2


def test_risk_answers_validated(requester):
    change = make_change(requester)
    with pytest.raises(DomainError) as info:
        services.assess_risk(change, actor=requester, channel=WEB, answers={"bogus": True})
    assert info.value.field == "answers"


def test_final_decisions_are_published_as_events(requester, manager):
    from core.models import OutboxEvent

    change = to_authorize(make_change(requester), requester)
    services.decide_approval(change, actor=manager, channel=WEB, decision="reject", comment="Backout plan is too thin")
    change = services.transition_change(Change.objects.get(pk=change.pk), actor=requester, channel=WEB,
                                        target=S.AUTHORIZE)
    services.decide_approval(change, actor=manager, channel=WEB, decision="approve")
    published = OutboxEvent.objects.filter(name__in=["change.approved", "change.rejected"]).order_by("id")
    assert [(e.name, e.record, e.actor, e.data["round"], e.data["comment"]) for e in published] == [
        ("change.rejected", change, manager, 1, "Backout plan is too thin"),
        ("change.approved", change, manager, 2, ""),
    ]
