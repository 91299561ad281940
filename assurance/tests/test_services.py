"""Use cases with the database: numbering, independence, corrective actions raised in the
improvement register, closing rules, the audit trail and events, the review pack, the selectors
other apps read."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from accounts.models import Team
from accounts.roles import Role
from assurance import selectors, services
from assurance.choices import FindingKind
from assurance.models import Audit, Finding, ManagementReview
from core.choices import Channel
from core.exceptions import DomainError, PermissionRefused, StaleVersion
from core.models import AuditEntry, OutboxEvent
from improvements import services as improvements
from improvements.choices import Kind, SourceType

WEB = Channel.WEB
pytestmark = pytest.mark.django_db


def _entries(record):
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)


def test_audits_are_numbered_per_year_in_the_programme_of_their_year(make_audit, programme):
    # when
    first, second = make_audit(), make_audit(title="Changes", scope=["8.5.1"])
    other_year = make_audit(planned=dt.date(2027, 1, 5))
    # then
    assert (first.number, second.number, other_year.number) == ("AUD-2026-01", "AUD-2026-02", "AUD-2027-01")
    assert first.programme == programme == other_year.programme
    assert _entries(first).filter(action="created").count() == 1
    assert OutboxEvent.objects.filter(name="audit.created").count() == 3


def test_an_audit_outside_every_programme_is_refused_on_its_date(make_audit):
    with pytest.raises(DomainError) as refused:
        make_audit(planned=dt.date(2030, 1, 1))
    assert refused.value.field == "planned_date"
    assert Audit.objects.count() == 0


def test_the_auditor_of_an_audited_team_is_flagged(make_audit, manager, team, make_user):
    # given the manager is in the service desk team; another team is not theirs
    other = Team.objects.create(name="Network")
    # when
    independent = make_audit(audited_teams=[other])
    own_work = make_audit(audited_teams=[other, team])
    # then
    assert independent.independence_conflict is False and independent.auditor_team == team
    assert own_work.independence_conflict is True
    # and choosing another lead auditor clears it
    outsider = make_user(Role.MANAGER, username="quality")
    own_work, diff = services.update_audit(own_work, actor=manager, channel=WEB, changes={"lead_auditor": outsider})
    assert own_work.independence_conflict is False and "independence_conflict" in diff


def test_agents_read_but_do_not_write(agent, programme):
    with pytest.raises(PermissionRefused):
        services.create_audit(actor=agent, channel=WEB, title="x", scope=["8.6"], planned_date=dt.date(2026, 1, 1),
                              lead_auditor=agent)
    assert Audit.objects.count() == 0


def test_a_nonconformity_raises_its_corrective_action_in_the_improvement_register(audit_in_progress, manager, agent):
    # when
    finding = services.add_finding(audit_in_progress, actor=manager, channel=WEB, kind=FindingKind.MAJOR_NC,
                                   clauses=["8.6.1"], description="Resolution notes missing.",
                                   evidence_records=["INC0001234", " "], owner=agent,
                                   due_date=dt.date(2026, 6, 1))
    # then
    action = finding.corrective_action
    assert finding.number == "AUD-2026-01-F1"
    assert finding.evidence_records == ["INC0001234"]
    assert (action.kind, action.source_type, action.source) == (Kind.CORRECTIVE_ACTION, SourceType.AUDIT_FINDING,
                                                                finding)
    assert action.owner == agent and action.due_date == dt.date(2026, 6, 1)
    assert action.source_label.startswith("AUD-2026-01-F1")
    assert Finding.objects.get(pk=finding.pk).corrective_action_id == action.pk
    assert _entries(finding).filter(action="linked", field="corrective_action").count() == 1


def test_an_opportunity_raises_nothing(audit_in_progress, manager):
    finding = services.add_finding(audit_in_progress, actor=manager, channel=WEB, kind=FindingKind.OFI,
                                   clauses=["7.6"], description="Link articles.")
    assert finding.corrective_action is None


def test_findings_need_an_audit_under_way_and_known_clauses(make_audit, audit_in_progress, manager):
    with pytest.raises(DomainError) as refused:
        services.add_finding(make_audit(), actor=manager, channel=WEB, kind="ofi", clauses=["7.6"], description="x")
    assert refused.value.field == "audit"
    with pytest.raises(DomainError) as refused:
        services.add_finding(audit_in_progress, actor=manager, channel=WEB, kind="ofi", clauses=["11.1"],
                             description="x")
    assert refused.value.field == "clauses"
    assert Finding.objects.count() == 0


def test_a_nonconformity_closes_once_its_corrective_action_is_closed(audit_in_progress, manager):
    # given
    finding = services.add_finding(audit_in_progress, actor=manager, channel=WEB, kind=FindingKind.MINOR_NC,
                                   clauses=["8.6.1"], description="Notes missing.")
    # when closed while the action is open: refused
    with pytest.raises(DomainError) as refused:
        services.update_finding(finding, actor=manager, channel=WEB, changes={"state": "closed"})
    assert refused.value.field == "closure_note"
    assert Finding.objects.get(pk=finding.pk).state == "open"
    # when the action is closed
    action = finding.corrective_action
    improvements.update_improvement(action, actor=manager, channel=WEB, changes={"owner": manager})
    action.refresh_from_db()
    for target in ("approved", "in_progress", "implemented"):
        action, _d = improvements.transition_improvement(action, target, actor=manager, channel=WEB)
    improvements.transition_improvement(action, "closed_ineffective", actor=manager, channel=WEB,
                                        closure_note="Replaced by a new action.")
    finding, diff = services.update_finding(finding, actor=manager, channel=WEB, changes={"state": "closed"})
    # then
    assert finding.state == "closed" and finding.closed_at is not None
    assert _entries(finding).filter(action="transitioned", field="state", new_value="closed").count() == 1


def test_a_nonconformity_closes_early_with_a_reason(audit_in_progress, manager):
    finding = services.add_finding(audit_in_progress, actor=manager, channel=WEB, kind=FindingKind.MAJOR_NC,
                                   clauses=["8.3.4"], description="Contracts expired.")
    finding, _diff = services.update_finding(finding, actor=manager, channel=WEB, changes={
        "state": "closed", "closure_note": "Certification body accepted the correction."})
    assert finding.state == "closed"


def test_an_audit_closes_only_when_its_findings_are_closed(audit_in_progress, manager):
    services.add_finding(audit_in_progress, actor=manager, channel=WEB, kind="ofi", clauses=["7.6"], description="x")
    audit, _diff = services.update_audit(audit_in_progress, actor=manager, channel=WEB,
                                         changes={"state": "reported", "performed_date": dt.date(2026, 3, 10)})
    with pytest.raises(DomainError) as refused:
        services.update_audit(audit, actor=manager, channel=WEB, changes={"state": "closed"})
    assert refused.value.field == "state"
    assert Audit.objects.get(pk=audit.pk).state == "reported"


def test_a_stale_version_changes_nothing(make_audit, manager):
    audit = make_audit()
    with pytest.raises(StaleVersion):
        services.update_audit(audit, actor=manager, channel=WEB, changes={"title": "New"}, expected_version=7)
    assert Audit.objects.get(pk=audit.pk).title == "Incident management"


def test_selectors_give_audited_clauses_and_open_major_nonconformities(audit_in_progress, make_audit, manager):
    # given 8.6 audited (reported) in March 2026 with an open major NC on 8.6.2; 9.2 only planned
    services.add_finding(audit_in_progress, actor=manager, channel=WEB, kind="major_nc", clauses=["8.6.2"],
                         description="x")
    services.add_finding(audit_in_progress, actor=manager, channel=WEB, kind="minor_nc", clauses=["8.6.3"],
                         description="y")
    services.update_audit(audit_in_progress, actor=manager, channel=WEB,
                          changes={"state": "reported", "performed_date": dt.date(2026, 3, 10)})
    make_audit(scope=["9.2"])
    # then
    assert selectors.audited_clause_ids(dt.date(2026, 1, 1)) == {"8.6", "8.6.1", "8.6.2", "8.6.3"}
    assert selectors.audited_clause_ids(dt.date(2026, 3, 11)) == set()
    assert selectors.open_major_nonconformity_clause_ids() == {"8.6.2"}
    assert selectors.findings_summary()["major_nc"] == {"open": 1, "closed": 0}


def test_the_review_pack_freezes_every_input(audit_in_progress, manager, agent):
    # given an earlier review with an open action, and this year's review
    earlier = services.create_review(actor=manager, channel=WEB, title="2025 review", held_on=dt.date(2025, 12, 1),
                                     period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 11, 30))
    services.add_action(earlier, actor=manager, channel=WEB, title="Train a second auditor", owner=agent,
                        due_date=dt.date(2026, 1, 31))
    services.add_finding(audit_in_progress, actor=manager, channel=WEB, kind="major_nc", clauses=["8.6.2"],
                         description="x")
    services.update_audit(audit_in_progress, actor=manager, channel=WEB,
                          changes={"state": "reported", "performed_date": dt.date(2026, 3, 10)})
    review = services.create_review(actor=manager, channel=WEB, title="2026 review", held_on=dt.date(2026, 12, 1),
                                    period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 11, 30),
                                    risks=[{"risk": "Single auditor", "rating": "medium"}])
    # when
    review = services.generate_pack(review, actor=manager, channel=WEB)
    # then
    pack = ManagementReview.objects.get(pk=review.pk).pack
    assert set(pack) >= {"previous_actions", "kpi", "audits", "satisfaction", "suppliers", "improvements", "risks"}
    assert [a["title"] for a in pack["previous_actions"]] == ["Train a second auditor"]
    assert pack["previous_actions"][0]["overdue"] is True
    assert [a["number"] for a in pack["audits"]["audits"]] == ["AUD-2026-01"]
    assert pack["audits"]["findings"]["major_nc"] == {"open": 1, "closed": 0}
    assert pack["improvements"]["open"] == 1  # the corrective action, raised today (after the period)
    assert pack["risks"] == [{"risk": "Single auditor", "rating": "medium", "treatment": ""}]
    assert len(pack["kpi"]["months"]) == 12 and len(pack["kpi"]["sla_met_percent"]) == 12
    assert review.pack_generated_at is not None and review.version == 2


def test_a_review_period_ends_after_it_starts(manager):
    with pytest.raises(DomainError) as refused:
        services.create_review(actor=manager, channel=WEB, title="x", held_on=dt.date(2026, 1, 1),
                               period_start=dt.date(2026, 1, 1), period_end=dt.date(2025, 1, 1))
    assert refused.value.field == "period_end"


def test_review_actions_close_and_reopen(manager):
    review = services.create_review(actor=manager, channel=WEB, title="x", held_on=dt.date(2026, 1, 1),
                                    period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31))
    action = services.add_action(review, actor=manager, channel=WEB, title="Do it", due_date=dt.date(2026, 2, 1))
    assert action.is_overdue(dt.date(2026, 2, 2)) is True
    action, _diff = services.update_action(action, actor=manager, channel=WEB, changes={"state": "done"})
    assert action.closed_at is not None and action.is_overdue(dt.date(2026, 2, 2)) is False


def test_certification_events_give_the_next_due_date(manager):
    services.create_certification_event(actor=manager, channel=WEB, kind="stage2", date=dt.date(2025, 6, 1))
    services.create_certification_event(actor=manager, channel=WEB, kind="decision", date=dt.date(2025, 7, 15))
    due = selectors.certification_next_due()
    assert (due.kind, due.date) == ("surveillance", dt.date(2026, 7, 15))
    with pytest.raises(DomainError) as refused:
        services.create_certification_event(actor=manager, channel=WEB, kind="stage1", date=dt.date(2025, 6, 1),
                                            findings_closed_on=dt.date(2025, 5, 1))
    assert refused.value.field == "findings_closed_on"
