"""The register's use cases: created with a priority, moved through its workflow, closed as
effective only with a measured, verified result; refusals change nothing."""

from datetime import date
from decimal import Decimal

import pytest

from core.choices import Channel
from core.exceptions import DomainError, InvalidTransition, PermissionRefused, StaleVersion
from core.models import AuditEntry, OutboxEvent
from improvements import services
from improvements.choices import ImprovementState as S
from improvements.choices import Kind, SourceType
from improvements.models import Improvement
from improvements.tests.conftest import walk

pytestmark = pytest.mark.django_db
WEB = Channel.WEB


def test_an_item_is_numbered_scored_and_announced(make_item, agent):
    # when
    item = make_item(benefit=5, effort=1, risk=2, owner=agent)
    # then
    assert item.number.startswith("IMP") and item.state == S.PROPOSED
    assert item.priority == 1  # 5×2 − 1 − 2 = 7
    assert item.source_type == SourceType.MANUAL and item.kind == Kind.IMPROVEMENT
    assert OutboxEvent.objects.filter(name="improvement.created", object_id=item.pk).count() == 1
    assert AuditEntry.objects.for_object(item).filter(action="created").exists()


def test_a_manual_item_may_be_an_audit_finding_but_not_another_source(make_item):
    assert make_item(source_type=SourceType.AUDIT_FINDING).source_type == SourceType.AUDIT_FINDING
    with pytest.raises(DomainError) as refused:
        make_item(source_type=SourceType.COMPLAINT)
    assert refused.value.field == "source_type"


def test_end_users_cannot_write_the_register(make_item, end_user):
    with pytest.raises(PermissionRefused):
        make_item(actor=end_user)


def test_rescoring_recomputes_the_priority(make_item, agent):
    item = make_item(benefit=3, effort=3, risk=3)
    assert item.priority == 3
    item, diff = services.update_improvement(item, actor=agent, channel=WEB, changes={"benefit": 5, "effort": 1},
                                             expected_version=item.version)
    assert item.priority == 1 and diff["priority"] == (3, 1)


def test_a_score_out_of_range_is_refused_and_nothing_changes(make_item, agent):
    item = make_item()
    with pytest.raises(DomainError) as refused:
        services.update_improvement(item, actor=agent, channel=WEB, changes={"risk": 6})
    assert refused.value.field == "risk"
    fresh = Improvement.objects.get(pk=item.pk)
    assert (fresh.risk, fresh.version) == (3, item.version)


def test_closing_as_effective_without_a_measurement_is_refused_and_nothing_changes(make_item, agent):
    # given: an implemented item
    item = walk(make_item(owner=agent), agent, S.APPROVED, S.IN_PROGRESS, S.IMPLEMENTED)
    events_before = OutboxEvent.objects.count()
    # when / then
    with pytest.raises(DomainError) as refused:
        services.transition_improvement(item, S.CLOSED_EFFECTIVE, actor=agent, channel=WEB, verified_by=agent)
    assert refused.value.field == "result"
    with pytest.raises(DomainError) as refused:
        services.transition_improvement(item, S.CLOSED_EFFECTIVE, actor=agent, channel=WEB,
                                        result_value=Decimal("2"), result_date=date(2026, 11, 30))
    assert refused.value.field == "verified_by"
    fresh = Improvement.objects.get(pk=item.pk)
    assert fresh.state == S.IMPLEMENTED and fresh.version == item.version and fresh.result_value is None
    assert OutboxEvent.objects.count() == events_before


def test_closing_as_effective_with_a_verified_result_publishes_closed(make_item, agent, manager):
    item = walk(make_item(owner=agent, baseline_value=Decimal("40"), baseline_unit="calls/day",
                          baseline_date=date(2026, 9, 1)), agent, S.APPROVED, S.IN_PROGRESS, S.IMPLEMENTED)
    item, _diff = services.transition_improvement(item, S.CLOSED_EFFECTIVE, actor=manager, channel=WEB,
                                                  result_value=Decimal("12.5"), result_date=date(2026, 11, 30),
                                                  verified_by=manager, expected_version=item.version)
    assert item.state == S.CLOSED_EFFECTIVE and item.closed_at is not None
    assert item.verified_by == manager and item.verified_at is not None
    closed = OutboxEvent.objects.get(name="improvement.closed", object_id=item.pk)
    assert closed.data == {"from": "implemented", "to": "closed_effective"}
    # and its evidence stays
    with pytest.raises(DomainError) as refused:
        services.update_improvement(item, actor=manager, channel=WEB, changes={"result_value": None})
    assert refused.value.field == "result"


def test_closing_as_not_effective_needs_only_a_note(make_item, agent):
    item = walk(make_item(owner=agent), agent, S.APPROVED, S.IN_PROGRESS, S.IMPLEMENTED)
    with pytest.raises(DomainError) as refused:
        services.transition_improvement(item, S.CLOSED_INEFFECTIVE, actor=agent, channel=WEB)
    assert refused.value.field == "closure_note"
    item, _diff = services.transition_improvement(item, S.CLOSED_INEFFECTIVE, actor=agent, channel=WEB,
                                                  closure_note="Calls did not drop.")
    assert item.state == S.CLOSED_INEFFECTIVE
    assert OutboxEvent.objects.filter(name="improvement.closed", object_id=item.pk).exists()


def test_a_state_patch_goes_through_the_workflow(make_item, agent):
    item = make_item()
    with pytest.raises(InvalidTransition) as refused:
        services.update_improvement(item, actor=agent, channel=WEB, changes={"state": S.CLOSED_EFFECTIVE})
    assert refused.value.allowed == ["approved", "rejected", "cancelled"]


def test_a_stale_version_is_refused(make_item, agent):
    item = make_item()
    with pytest.raises(StaleVersion):
        services.update_improvement(item, actor=agent, channel=WEB, changes={"title": "New"},
                                    expected_version=item.version + 1)


def test_a_measurement_is_recorded_with_its_date(make_item, agent):
    item = make_item()
    with pytest.raises(DomainError) as refused:
        services.record_measurement(item, actor=agent, channel=WEB, which="baseline", value=Decimal("5"), date=None)
    assert refused.value.field == "baseline_date"
    item, _diff = services.record_measurement(item, actor=agent, channel=WEB, which="baseline", value=Decimal("5"),
                                              unit="hours", date=date(2026, 10, 1))
    assert (item.baseline_value, item.baseline_unit, item.baseline_date) == (Decimal("5"), "hours", date(2026, 10, 1))


def test_raising_from_a_source_is_idempotent(agent, team):
    # given: any record as the source
    first, created = services.raise_from_source(SourceType.COMPLAINT, team, title="Complaint", label="VOC0001001")
    again, created_again = services.raise_from_source(SourceType.COMPLAINT, team, title="Complaint")
    assert created and not created_again and again.pk == first.pk
    assert first.source == team and first.source_label == "VOC0001001" and first.created_by is None
    # the same record as another kind of source is another item
    other, created_other = services.raise_from_source(SourceType.LOW_SATISFACTION, team, title="Low score")
    assert created_other and other.pk != first.pk
    assert Improvement.objects.count() == 2
