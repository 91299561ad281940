"""Problem use cases against the database: links, transitions, audit rows, known errors."""

import pytest

from core.choices import AuditAction, Channel
from core.exceptions import DomainError, InvalidTransition, PermissionRefused, StaleVersion
from core.models import AuditEntry, Comment
from problems import services
from problems.choices import ProblemState
from problems.models import Problem
from problems.tests.factories import make_ci, make_incident, make_known_error, make_problem

pytestmark = pytest.mark.django_db
WEB = Channel.WEB


def audit_rows(obj, **filters):
    return list(AuditEntry.objects.for_object(obj).filter(**filters).order_by("id"))


def test_create_problem_on_its_own(agent):
    # when
    problem = make_problem(agent, description="Jobs vanish", priority=2)
    # then
    assert problem.number.startswith("PRB")
    assert problem.state == ProblemState.NEW
    assert problem.created_by == agent
    [created] = audit_rows(problem)
    assert created.action == AuditAction.CREATED
    assert created.new_value["title"] == "Printers drop jobs"


def test_end_user_cannot_create_problem(end_user):
    with pytest.raises(PermissionRefused):
        make_problem(end_user)
    assert Problem.objects.count() == 0


def test_raise_problem_from_many_incidents_links_incidents_and_cis(agent, end_user):
    # given
    printer = make_ci("printer-3f")
    first = make_incident(end_user, title="Printing fails on 3F", configuration_item=printer)
    second = make_incident(end_user, title="Print queue stuck")
    # when
    problem = services.raise_problem_from_incidents([first, second], actor=agent, channel=WEB)
    # then
    assert problem.title == "Printing fails on 3F"
    assert set(problem.incidents.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert list(problem.configuration_items.all()) == [printer]
    links = audit_rows(problem, action=AuditAction.LINKED)
    assert {(row.field, tuple(row.new_value)) for row in links} == {
        ("incidents", tuple(sorted([first.pk, second.pk]))), ("configuration_items", (printer.pk,)),
    }
    for incident in (first, second):
        [row] = audit_rows(incident, action=AuditAction.LINKED)
        assert row.field == "problems" and row.new_value == [problem.pk]


def test_raise_problem_needs_an_incident(agent):
    with pytest.raises(DomainError):
        services.raise_problem_from_incidents([], actor=agent, channel=WEB)


def test_transition_audited_and_guarded(agent):
    # given
    problem = make_problem(agent)
    # when
    problem, diff = services.transition_problem(problem, ProblemState.INVESTIGATION, actor=agent, channel=WEB,
                                                expected_version=1)
    # then
    assert diff == {"state": ("new", "investigation")}
    assert problem.version == 2
    [row] = audit_rows(problem, action=AuditAction.TRANSITIONED)
    assert (row.field, row.old_value, row.new_value, row.actor_id) == ("state", "new", "investigation", agent.pk)


def test_invalid_transition_names_allowed_and_changes_nothing(agent):
    # given
    problem = make_problem(agent)
    # when
    with pytest.raises(InvalidTransition) as refused:
        services.transition_problem(problem, ProblemState.CLOSED, actor=agent, channel=WEB)
    # then
    assert set(refused.value.allowed) == {"investigation", "known_error", "resolved", "cancelled"}
    problem.refresh_from_db()
    assert (problem.state, problem.version) == ("new", 1)


def test_resolve_needs_root_cause(agent):
    problem = make_problem(agent)
    with pytest.raises(DomainError) as refused:
        services.transition_problem(problem, ProblemState.RESOLVED, actor=agent, channel=WEB)
    assert refused.value.field == "root_cause"
    problem.refresh_from_db()
    assert problem.state == "new" and problem.resolved_at is None


def test_resolve_stamps_resolved_at_and_reopen_clears_it(agent):
    problem = make_problem(agent)
    problem, _ = services.transition_problem(problem, "resolved", actor=agent, channel=WEB, root_cause="Bad driver")
    assert problem.resolved_at is not None
    problem, _ = services.transition_problem(problem, "investigation", actor=agent, channel=WEB)
    assert problem.resolved_at is None


def test_stale_version_changes_nothing(agent):
    problem = make_problem(agent)
    services.update_problem(problem, actor=agent, channel=WEB, changes={"title": "New title"}, expected_version=1)
    with pytest.raises(StaleVersion):
        services.update_problem(problem, actor=agent, channel=WEB, changes={"title": "Other"}, expected_version=1)
    problem.refresh_from_db()
    assert (problem.title, problem.version) == ("New title", 2)


def test_publishing_known_error_needs_workaround_or_root_cause(agent):
    problem = make_problem(agent)
    with pytest.raises(DomainError) as refused:
        services.update_problem(problem, actor=agent, channel=WEB, changes={"known_error": True})
    assert refused.value.field == "known_error"
    problem, diff = services.update_problem(problem, actor=agent, channel=WEB,
                                            changes={"known_error": True, "workaround": "Reboot"})
    assert problem.known_error is True
    assert set(diff) == {"known_error", "workaround"}


def test_known_error_cannot_lose_both_cause_and_workaround(agent):
    problem = make_known_error(agent)
    with pytest.raises(DomainError):
        services.update_problem(problem, actor=agent, channel=WEB, changes={"workaround": ""})


def test_set_links_audited_and_unknown_ids_refused(agent, end_user):
    # given
    problem = make_problem(agent)
    incident = make_incident(end_user)
    ci = make_ci()
    # when
    problem = services.link_record(problem, field="incidents", target=incident, actor=agent, channel=WEB)
    problem = services.link_record(problem, field="configuration_items", target=ci, actor=agent, channel=WEB)
    problem = services.unlink_record(problem, field="incidents", target=incident, actor=agent, channel=WEB)
    # then
    rows = [(r.field, r.old_value, r.new_value) for r in audit_rows(problem, action=AuditAction.LINKED)]
    assert rows == [("incidents", [], [incident.pk]), ("configuration_items", [], [ci.pk]),
                    ("incidents", [incident.pk], [])]
    assert problem.version == 4
    with pytest.raises(DomainError):
        services.set_problem_links(problem, field="incidents", targets=[999999], actor=agent, channel=WEB)
    with pytest.raises(DomainError):
        services.set_problem_links(problem, field="owner", targets=[], actor=agent, channel=WEB)


def test_apply_known_error_writes_work_note_and_links(agent, end_user):
    # given
    known_error = make_known_error(agent, workaround="Reconnect with split tunnel off.")
    incident = make_incident(end_user, title="VPN keeps dropping")
    # when
    comment = services.apply_known_error(known_error, incident, actor=agent, channel=WEB)
    # then
    assert comment.internal is True
    assert "Reconnect with split tunnel off." in comment.body
    assert known_error.number in comment.body
    assert list(Comment.objects.for_object(incident)) == [comment]
    assert list(known_error.incidents.all()) == [incident]
    [note_row] = audit_rows(incident, action=AuditAction.COMMENTED)
    assert note_row.field == "work_note" and note_row.actor == agent
    [link_row] = audit_rows(known_error, action=AuditAction.LINKED)
    assert link_row.new_value == [incident.pk]


def test_apply_unpublished_problem_refused(agent, end_user):
    problem = make_problem(agent)
    incident = make_incident(end_user)
    with pytest.raises(DomainError):
        services.apply_known_error(problem, incident, actor=agent, channel=WEB)
    assert Comment.objects.count() == 0
    assert problem.incidents.count() == 0


def test_resolve_problem_with_open_incidents(agent, end_user):
    # given
    open_one = make_incident(end_user, title="A", state="in_progress")
    open_two = make_incident(end_user, title="B", state="new")
    closed = make_incident(end_user, title="C", state="closed")
    problem = make_problem(agent, incidents=[open_one, open_two, closed], state="investigation")
    # when
    problem, resolved = services.resolve_problem(problem, actor=agent, channel=WEB, root_cause="Expired cert",
                                                 resolve_incidents=True, expected_version=problem.version)
    # then
    assert problem.state == "resolved"
    assert sorted(i.pk for i in resolved) == sorted([open_one.pk, open_two.pk])
    for incident in (open_one, open_two):
        incident.refresh_from_db()
        assert incident.state == "resolved"
        assert incident.resolution_code
        assert problem.number in incident.resolution_notes
        assert audit_rows(incident, field="state")[-1].new_value == "resolved"
    closed.refresh_from_db()
    assert closed.state == "closed"
    [summary] = audit_rows(problem, field="incidents", action=AuditAction.UPDATED)
    assert sorted(summary.new_value) == sorted([open_one.pk, open_two.pk])
    assert summary.context["resolved_incidents"] == summary.new_value


def test_resolve_problem_without_incidents_option_leaves_them(agent, end_user):
    incident = make_incident(end_user, state="in_progress")
    problem = make_problem(agent, incidents=[incident])
    services.resolve_problem(problem, actor=agent, channel=WEB, root_cause="Expired cert")
    incident.refresh_from_db()
    assert incident.state == "in_progress"


def test_resolve_open_incidents_needs_resolved_problem(agent, end_user):
    incident = make_incident(end_user, state="in_progress")
    problem = make_problem(agent, incidents=[incident])
    with pytest.raises(DomainError):
        services.resolve_open_incidents(problem, actor=agent, channel=WEB)
    incident.refresh_from_db()
    assert incident.state == "in_progress"


def test_raise_change_from_problem_links_it(agent):
    # given
    ci = make_ci("db-01")
    problem = make_problem(agent, root_cause="Index bloat", configuration_items=[ci])
    # when
    change = services.raise_change_from_problem(problem, actor=agent, channel=WEB)
    # then
    assert change.number.startswith("CHG")
    assert problem.number in change.description and "Index bloat" in change.description
    assert list(change.affected_cis.all()) == [ci]
    assert list(problem.changes.all()) == [change]
    [row] = audit_rows(problem, action=AuditAction.LINKED, field="changes")
    assert row.new_value == [change.pk]
