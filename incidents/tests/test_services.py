"""Incident use cases with the database: audit rows, priority, routing, notifications on commit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.choices import AuditAction, Channel
from core.exceptions import DomainError, InvalidTransition, PermissionRefused, StaleVersion
from core.models import AuditEntry
from incidents import services
from incidents.choices import IncidentChannel, IncidentState
from incidents.models import AssignmentRule, Incident

pytestmark = pytest.mark.django_db


def audit_rows(incident, **filters):
    return AuditEntry.objects.for_object(incident).filter(**filters)


def test_open_incident_numbers_prioritises_and_audits(open_incident, agent, end_user):
    # when
    incident = open_incident(impact=1, urgency=2, description="사내 메일 발송 실패")
    # then
    assert incident.number.startswith("INC") and len(incident.number) == 10
    assert (incident.priority, incident.priority_override) == (2, False)
    assert incident.state == IncidentState.NEW
    assert incident.caller == end_user and incident.created_by == agent
    assert incident.channel == IncidentChannel.AGENT
    created = audit_rows(incident, action=AuditAction.CREATED).get()
    assert created.new_value["priority"] == 2 and created.channel == Channel.WEB


def test_end_user_reports_for_themselves_only(end_user, other_end_user, team):
    incident = services.open_incident(actor=end_user, channel=Channel.PORTAL, title="Printer jam",
                                      caller=other_end_user, assignment_group=team, priority=1,
                                      priority_override_reason="x")
    assert incident.caller == end_user
    assert incident.channel == IncidentChannel.PORTAL
    assert incident.priority == 5 and not incident.priority_override


def test_created_notification_is_sent_after_commit(open_incident, end_user, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        incident = open_incident()
    # then nothing is sent inside the transaction
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[end_user.email]]
    assert incident.number in mail.outbox[0].subject


def test_muted_notification_is_not_sent(open_incident, end_user, django_capture_on_commit_callbacks):
    end_user.muted_notifications = ["created"]
    end_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        open_incident()
    assert mail.outbox == []


def test_priority_override_needs_reason_and_is_audited(open_incident, agent):
    incident = open_incident(impact=3, urgency=3)
    with pytest.raises(DomainError):
        services.update_incident(incident, actor=agent, channel=Channel.WEB, changes={"priority": 1})
    incident.refresh_from_db()
    assert (incident.priority, incident.version) == (5, 1)
    # when
    incident = services.update_incident(incident, actor=agent, channel=Channel.WEB,
                                        changes={"priority": 1, "priority_override_reason": "Board meeting at 10"})
    # then
    assert (incident.priority, incident.priority_override) == (1, True)
    row = audit_rows(incident, field="priority").get()
    assert (row.old_value, row.new_value, row.context) == (5, 1, {"reason": "Board meeting at 10"})


def test_impact_change_recomputes_priority(open_incident, agent):
    incident = open_incident(impact=3, urgency=1)
    incident = services.update_incident(incident, actor=agent, channel=Channel.WEB, changes={"impact": 1})
    assert incident.priority == 1


def test_stale_version_changes_nothing(open_incident, agent):
    incident = open_incident()
    with pytest.raises(StaleVersion):
        services.update_incident(incident, actor=agent, channel=Channel.WEB, changes={"title": "new"},
                                 expected_version=99)
    incident.refresh_from_db()
    assert (incident.title, incident.version) == ("메일 발송이 안 됩니다", 1)


def test_lifecycle_with_audit(open_incident, agent, django_capture_on_commit_callbacks):
    incident = open_incident()
    incident = services.transition(incident, actor=agent, channel=Channel.WEB, target="in_progress")
    assert incident.first_responded_at is not None
    incident = services.transition(incident, actor=agent, channel=Channel.WEB, target="on_hold",
                                   on_hold_reason="awaiting_vendor")
    with django_capture_on_commit_callbacks(execute=True):
        incident = services.resolve(incident, actor=agent, channel=Channel.WEB, code="solved_workaround",
                                    notes="SMTP relay restarted")
    assert incident.state == "resolved" and incident.on_hold_reason == "" and incident.resolved_at
    assert [m.subject for m in mail.outbox if "resolved" in m.subject.lower()]
    incident = services.close(incident, actor=agent, channel=Channel.WEB)
    assert incident.closed_at is not None
    states = list(audit_rows(incident, field="state").values_list("old_value", "new_value"))
    assert states == [("new", "in_progress"), ("in_progress", "on_hold"), ("on_hold", "resolved"),
                      ("resolved", "closed")]
    assert audit_rows(incident, field="state").first().action == AuditAction.TRANSITIONED


def test_invalid_transition_names_allowed_and_changes_nothing(open_incident, agent):
    incident = open_incident()
    with pytest.raises(InvalidTransition) as refused:
        services.transition(incident, actor=agent, channel=Channel.WEB, target="closed")
    assert refused.value.allowed == ["in_progress", "on_hold", "resolved", "cancelled"]
    incident.refresh_from_db()
    assert (incident.state, incident.version) == ("new", 1)


def test_caller_reopens_within_window_only(open_incident, agent, end_user, settings):
    settings.INCIDENT_REOPEN_WINDOW_DAYS = 3
    incident = open_incident()
    long_ago = timezone.now() - timedelta(days=4)
    incident = services.resolve(incident, actor=agent, channel=Channel.WEB, code="user_error", notes="Advice",
                                now=long_ago)
    with pytest.raises(DomainError):
        services.reopen(incident, actor=end_user, channel=Channel.PORTAL, reason="Still broken")
    incident = services.resolve(
        services.transition(incident, actor=agent, channel=Channel.WEB, target="in_progress"),
        actor=agent, channel=Channel.WEB, code="user_error", notes="Advice")
    incident = services.reopen(incident, actor=end_user, channel=Channel.PORTAL, reason="Still broken")
    assert (incident.state, incident.reopen_count, incident.resolution_code) == ("in_progress", 2, "")


def test_end_user_cannot_edit_fields(open_incident, end_user):
    incident = open_incident()
    with pytest.raises(PermissionRefused):
        services.update_incident(incident, actor=end_user, channel=Channel.API, changes={"priority": 1})


def test_assignment_requires_membership(open_incident, agent, second_team_agent, team):
    other_team, other_person = second_team_agent
    incident = open_incident()
    with pytest.raises(DomainError) as refused:
        services.assign(incident, actor=agent, channel=Channel.WEB, group=team, person=other_person)
    assert refused.value.field == "assigned_to"
    incident = services.assign(incident, actor=agent, channel=Channel.WEB, group=other_team, person=other_person)
    assert audit_rows(incident, action=AuditAction.ASSIGNED).count() == 2


def test_assigned_notification_goes_to_assignee(open_incident, agent, other_agent, team,
                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # committed: its own mail leaves now
        incident = open_incident()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(incident, actor=agent, channel=Channel.WEB, group=team, person=other_agent)
    assert [m.to for m in mail.outbox] == [[other_agent.email]]


def test_routing_rules_and_ci_service_suggestion(agent, end_user, team, estate, network):
    groupware, mail_server = estate
    category, vpn = network
    AssignmentRule.objects.create(name="CI owner", order=10, use_ci_owner_group=True)
    # when
    incident = services.open_incident(actor=agent, channel=Channel.WEB, caller=end_user, title="Mail down",
                                      configuration_item=mail_server)
    # then
    assert incident.service == groupware
    assert incident.assignment_group == team


def test_rule_by_category(agent, end_user, second_team_agent, network):
    other_team, _ = second_team_agent
    category, vpn = network
    AssignmentRule.objects.create(name="VPN", order=1, category=vpn, assignment_group=other_team)
    incident = services.open_incident(actor=agent, channel=Channel.WEB, caller=end_user, title="VPN",
                                      category=category, subcategory=vpn)
    assert incident.assignment_group == other_team
    unrouted = services.open_incident(actor=agent, channel=Channel.WEB, caller=end_user, title="Other")
    assert unrouted.assignment_group is None


def test_work_note_not_mailed_to_caller(open_incident, agent, other_agent, team, end_user,
                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # committed: its own mail leaves now
        incident = services.assign(open_incident(), actor=agent, channel=Channel.WEB, group=team,
                                   person=other_agent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment(incident, actor=agent, channel=Channel.WEB, body="DB lock on mail-01", internal=True)
    assert [m.to for m in mail.outbox] == [[other_agent.email]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment(incident, actor=agent, channel=Channel.WEB, body="We are on it")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([other_agent.email, end_user.email])


def test_caller_reply_resumes_incident_awaiting_caller(open_incident, agent, end_user):
    incident = services.transition(open_incident(), actor=agent, channel=Channel.WEB, target="on_hold",
                                   on_hold_reason="awaiting_caller")
    services.comment(incident, actor=end_user, channel=Channel.PORTAL, body="Here is the screenshot")
    incident.refresh_from_db()
    assert incident.state == "in_progress"


def test_resolving_major_incident_resolves_children(open_incident, agent):
    parent = open_incident(is_major=True, impact=1, urgency=1)
    children = [open_incident(parent=parent) for _ in range(2)]
    with pytest.raises(DomainError):
        open_incident(parent=children[0])  # not a major incident
    services.resolve(parent, actor=agent, channel=Channel.WEB, code="solved_permanently", notes="Switch replaced",
                     resolve_children=True)
    for child in children:
        child.refresh_from_db()
        assert (child.state, child.resolution_code) == ("resolved", "resolved_by_parent")


def test_auto_close_is_idempotent(open_incident, agent, settings):
    settings.INCIDENT_AUTO_CLOSE_DAYS = 5
    old = services.resolve(open_incident(), actor=agent, channel=Channel.WEB, code="user_error", notes="n",
                           now=timezone.now() - timedelta(days=6))
    recent = services.resolve(open_incident(), actor=agent, channel=Channel.WEB, code="user_error", notes="n")
    from incidents.tasks import auto_close_resolved

    assert auto_close_resolved() == 1
    assert auto_close_resolved() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.state, recent.state) == ("closed", "resolved")
    assert audit_rows(old, field="state", new_value="closed").get().channel == Channel.SYSTEM


def test_bulk_update_reports_refusals(open_incident, agent, team):
    first, second = open_incident(), open_incident()
    services.cancel(second, actor=agent, channel=Channel.WEB)
    updated, refused = services.bulk_update(Incident.objects.filter(pk__in=[first.pk, second.pk]), actor=agent,
                                            channel=Channel.WEB, changes={"state": "in_progress"})
    assert [i.pk for i in updated] == [first.pk]
    assert list(refused) == [second.number]


def test_search_finds_number_title_and_public_comments(open_incident, agent):
    incident = open_incident(title="그룹웨어 로그인 오류", description="SSO redirect loop")
    services.comment(incident, actor=agent, channel=Channel.WEB, body="Certificate expired on sso-02")
    services.comment(incident, actor=agent, channel=Channel.WEB, body="secretword", internal=True)
    from incidents import search

    found = lambda text: list(search.apply(Incident.objects.all(), text))  # noqa: E731
    assert found("그룹웨어") == [incident]
    assert found("redirect") == [incident]
    assert found("certificate") == [incident]
    assert found(incident.number) == [incident]
    assert found("secretword") == []


def test_a_public_comment_makes_an_incident_findable_until_it_is_no_longer_public(open_incident, agent):
    from core.models import Comment
    from incidents import search

    incident = open_incident(title="프린터 용지 걸림", description="3층 복합기")
    found = lambda text: list(search.apply(Incident.objects.all(), text))  # noqa: E731
    assert found("토너") == []
    note = services.comment(incident, actor=agent, channel=Channel.WEB, body="토너 교체 완료")
    assert found("토너") == [incident]
    # Every word anywhere: one in the title, one in the comment.
    assert found("프린터 토너") == [incident]
    note.internal = True  # made a work note (or removed): the document loses its words
    note.save(update_fields=["internal"])
    search.refresh([incident.pk])
    assert found("토너") == [] and found("프린터") == [incident]
    Comment.objects.filter(pk=note.pk).update(internal=False)
    search.refresh([incident.pk])
    assert found("토너") == [incident]
    Comment.objects.filter(pk=note.pk).delete()
    search.refresh([incident.pk])
    assert found("토너") == [] and found("복합기") == [incident]
    incident.refresh_from_db()
    assert incident.search_vector is None  # no public comment: nothing stored


def test_mail_text_is_not_html_escaped(open_incident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_incident(title="R&D <VPN> 'down'")
    assert "R&D <VPN> 'down'" in mail.outbox[0].subject
    assert "R&D <VPN> 'down'" in mail.outbox[0].body
