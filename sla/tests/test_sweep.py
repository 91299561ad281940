"""The sweep and escalations: exactly once, at the true instant (eager Celery, database)."""

from unittest import mock

import pytest
from django.core import mail

from core.choices import AuditAction
from core.models import AuditEntry
from sla import sweep as sla_sweep
from sla.choices import ClockKind, ClockState, EventKind
from sla.models import ClockEvent, EscalationRun, SLAClock
from sla.tests.conftest import kst
from sla.tests.factories import make_definition

pytestmark = pytest.mark.django_db


def resolution_clock(incident):
    return SLAClock.objects.for_object(incident).get(kind=ClockKind.RESOLUTION)


def test_sweep_records_warning_at_its_true_instant_once(definition, open_incident):
    # given a P3 incident at Mon 10:00 (resolution 240 min → 50 % at 12:00)
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    # when swept late, at 12:07, twice
    sla_sweep.sweep(now=kst(2026, 11, 23, 12, 7))
    sla_sweep.sweep(now=kst(2026, 11, 23, 12, 8))
    # then
    clock = resolution_clock(incident)
    warning = ClockEvent.objects.get(clock=clock, kind=EventKind.WARNING)
    assert warning.at == kst(2026, 11, 23, 12, 0)
    assert warning.threshold == 50
    assert clock.warnings_sent == [50]
    assert clock.next_check_at == kst(2026, 11, 23, 13, 0)  # 75 %


def test_sweep_ignores_clocks_not_due(definition, open_incident):
    open_incident(now=kst(2026, 11, 23, 10, 0))
    assert sla_sweep.sweep(now=kst(2026, 11, 23, 10, 29)) == 0


def test_catch_up_after_downtime_records_each_threshold_once_and_escalates_the_breach_only(
        kr_calendar, open_incident, agent, django_capture_on_commit_callbacks):
    # given a definition that notifies the assignee at 75 % and at breach
    make_definition(calendar=kr_calendar, rules=[
        {"threshold": 75, "action": "notify_assignee", "kind": "resolution"},
        {"threshold": 100, "action": "notify_assignee", "kind": "resolution"}])
    incident = open_incident(now=kst(2026, 11, 23, 10, 0), assigned_to=agent,
                             assignment_group=agent.teams.first())
    # when the sweep first runs the next day
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep.sweep(now=kst(2026, 11, 24, 12, 0))
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep.sweep(now=kst(2026, 11, 24, 12, 1))
    # then every threshold is recorded once, at its true time
    clock = resolution_clock(incident)
    events = list(clock.events.filter(kind__in=["warning", "breach"]).values_list("kind", "threshold", "at"))
    assert events == [
        ("warning", 50, kst(2026, 11, 23, 12, 0)),
        ("warning", 75, kst(2026, 11, 23, 13, 0)),
        ("warning", 90, kst(2026, 11, 23, 13, 36)),
        ("breach", 100, kst(2026, 11, 23, 14, 0)),
    ]
    assert clock.state == ClockState.BREACHED
    assert clock.breached_at == kst(2026, 11, 23, 14, 0)
    assert clock.next_check_at is None
    # and only the breach escalated, once
    runs = list(EscalationRun.objects.filter(clock=clock).values_list("threshold", flat=True))
    assert runs == [100]
    assert EscalationRun.objects.get(clock=clock).done_at is not None
    assert len([m for m in mail.outbox if "[SLA]" in m.subject]) == 1
    assert mail.outbox[-1].to == [agent.email]
    escalated = AuditEntry.objects.for_object(incident).filter(action=AuditAction.ESCALATED)
    assert escalated.count() == 1
    breach_audit = AuditEntry.objects.for_object(incident).get(action=AuditAction.SLA, field="sla_resolution_breach",
                                                               context__clock=clock.pk)
    assert breach_audit.created_at == kst(2026, 11, 23, 14, 0)


def test_escalation_run_twice_acts_once(kr_calendar, open_incident, django_capture_on_commit_callbacks):
    from sla import escalations

    make_definition(calendar=kr_calendar, rules=[{"threshold": 100, "action": "raise_priority", "kind": "resolution"}])
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep.sweep(now=kst(2026, 11, 23, 14, 0))
    run = EscalationRun.objects.get(clock__kind=ClockKind.RESOLUTION)
    # when the task is delivered again
    assert escalations.execute(run.pk) == 0
    assert escalations.run_pending([run.clock_id]) == 0
    # then priority went up by exactly one and the clock was re-targeted
    incident.refresh_from_db()
    assert incident.priority == 2
    assert incident.priority_override is True
    assert AuditEntry.objects.for_object(incident).filter(action=AuditAction.ESCALATED, field="priority").count() == 1


def test_reassign_and_work_note_escalations(kr_calendar, open_incident, second_team,
                                            django_capture_on_commit_callbacks):
    group, _member = second_team
    make_definition(calendar=kr_calendar, rules=[
        {"threshold": 100, "action": "reassign", "target_group": group, "kind": "resolution"},
        {"threshold": 100, "action": "work_note", "message": "SLA breached: duty manager informed"}])
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep.sweep(now=kst(2026, 11, 23, 14, 0, 1))
    incident.refresh_from_db()
    assert incident.assignment_group == group
    notes = AuditEntry.objects.for_object(incident).filter(action=AuditAction.ESCALATED, field="work_note")
    # the response clock (breached 11:00) and the resolution clock each wrote one
    assert notes.count() == 2
    assert notes.first().new_value == "SLA breached: duty manager informed"


def test_webhook_is_called_from_a_task_with_timeout(kr_calendar, open_incident, django_capture_on_commit_callbacks):
    make_definition(calendar=kr_calendar, rules=[
        {"threshold": 100, "action": "webhook", "webhook_url": "https://hooks.example.com/sla", "kind": "response"}])
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    response = mock.MagicMock(status=204)
    response.__enter__.return_value = response
    with mock.patch("urllib.request.urlopen", return_value=response) as urlopen:
        with django_capture_on_commit_callbacks(execute=True):
            sla_sweep.sweep(now=kst(2026, 11, 23, 11, 0))
    assert urlopen.call_count == 1
    request = urlopen.call_args.args[0]
    assert urlopen.call_args.kwargs["timeout"] == 5
    assert request.full_url == "https://hooks.example.com/sla"
    assert request.headers["Idempotency-key"].startswith("sla-escalation-")
    run = EscalationRun.objects.get()
    assert run.result["webhook"] == "delivered"
    assert run.clock.object_id == incident.pk


def test_pause_settles_a_warning_the_sweep_had_not_seen(definition, open_incident, agent):
    from core.choices import Channel
    from incidents import services

    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    # 50 % of resolution was due at 12:00; no sweep ran; paused at 12:30
    services.transition(incident, actor=agent, channel=Channel.WEB, target="on_hold",
                        on_hold_reason="awaiting_caller", now=kst(2026, 11, 23, 12, 30))
    clock = resolution_clock(incident)
    assert clock.warnings_sent == [50]
    assert clock.events.get(kind=EventKind.WARNING).at == kst(2026, 11, 23, 12, 0)
    assert sla_sweep.sweep(now=kst(2026, 11, 25, 12, 0)) == 0  # paused clocks are not swept


def test_sweep_query_uses_partial_index_range_scan(definition):
    from django.db import connection

    sql = ("EXPLAIN SELECT id FROM sla_slaclock WHERE state = 'running' AND next_check_at <= now() "
           "ORDER BY next_check_at LIMIT 500 FOR UPDATE SKIP LOCKED")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "sla_clock_sweep_idx" in plan


def test_failing_webhook_is_retried_dead_lettered_and_replayed(kr_calendar, open_incident, settings,
                                                             django_capture_on_commit_callbacks):
    import urllib.error

    from django.utils import timezone

    from core import outbox
    from core.models import Delivery

    settings.OUTBOX_MAX_ATTEMPTS = 2
    make_definition(calendar=kr_calendar, rules=[
        {"threshold": 100, "action": "webhook", "webhook_url": "https://hooks.example.com/sla", "kind": "response"}])
    open_incident(now=kst(2026, 11, 23, 10, 0))
    refused = urllib.error.URLError("connection refused")
    # when the receiver is down for the first attempt and the retry
    with mock.patch("urllib.request.urlopen", side_effect=refused) as urlopen:
        with django_capture_on_commit_callbacks(execute=True):
            sla_sweep.sweep(now=kst(2026, 11, 23, 11, 0))
        delivery = Delivery.objects.get(handler="sla.escalation_webhook")
        assert (delivery.state, delivery.attempts) == ("pending", 1)
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        outbox.deliver_due()
    # then the delivery is a dead letter, and the escalation itself ran once
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("dead", 2)
    assert "connection refused" in delivery.last_error
    assert urlopen.call_count == 2
    run = EscalationRun.objects.get()
    assert run.done_at is not None and run.result["webhook"] == "queued"
    # and once the receiver is back, a replay delivers it
    response = mock.MagicMock(status=200)
    response.__enter__.return_value = response
    with mock.patch("urllib.request.urlopen", return_value=response) as urlopen:
        with django_capture_on_commit_callbacks(execute=True):
            outbox.replay([delivery], actor=None)
    assert urlopen.call_count == 1
    run.refresh_from_db()
    assert run.result["webhook"] == "delivered"
