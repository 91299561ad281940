"""The clock engine driven through the incident services (database, no Celery worker)."""


import pytest

from core.choices import AuditAction, Channel
from core.models import AuditEntry
from incidents import services
from sla import engine
from sla import sweep as sla_sweep
from sla.choices import ClockKind, ClockState, EventKind
from sla.models import ClockEvent, SLAClock
from sla.tests.conftest import kst
from sla.tests.factories import make_definition

pytestmark = pytest.mark.django_db


def clocks_of(incident):
    return {c.kind: c for c in SLAClock.objects.for_object(incident).exclude(state=ClockState.CANCELLED)}


def test_creation_starts_response_and_resolution_clocks(definition, open_incident):
    # given Monday 10:00 KST
    # when
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    # then
    clocks = clocks_of(incident)
    assert set(clocks) == {ClockKind.RESPONSE, ClockKind.RESOLUTION}
    response, resolution = clocks[ClockKind.RESPONSE], clocks[ClockKind.RESOLUTION]
    assert incident.priority == 3
    assert response.due_at == kst(2026, 11, 23, 11, 0)
    assert resolution.due_at == kst(2026, 11, 23, 14, 0)
    # next check is the 50 % warning of the response target
    assert response.next_check_at == kst(2026, 11, 23, 10, 30)
    assert list(response.events.values_list("kind", flat=True)) == [EventKind.START]


def test_clock_started_outside_hours_counts_from_opening(definition, open_incident):
    incident = open_incident(now=kst(2026, 9, 23, 20, 0))  # Wed evening before Chuseok
    assert clocks_of(incident)[ClockKind.RESPONSE].due_at == kst(2026, 9, 28, 10, 0)


def test_no_matching_definition_no_clocks(kr_calendar, open_incident):
    make_definition(calendar=kr_calendar, applies_to={"priorities": [1]})
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    assert clocks_of(incident) == {}


def test_move_to_in_progress_meets_response(definition, open_incident, agent):
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    services.transition(incident, actor=agent, channel=Channel.WEB, target="in_progress", now=kst(2026, 11, 23, 10, 20))
    clocks = clocks_of(incident)
    assert clocks[ClockKind.RESPONSE].state == ClockState.MET
    assert clocks[ClockKind.RESPONSE].elapsed_business_seconds == 20 * 60
    assert clocks[ClockKind.RESOLUTION].state == ClockState.RUNNING


def test_public_agent_comment_meets_response(definition, open_incident, agent):
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    services.comment(incident, actor=agent, channel=Channel.WEB, body="확인 중입니다", now=kst(2026, 11, 23, 10, 5))
    assert clocks_of(incident)[ClockKind.RESPONSE].state == ClockState.MET


def test_work_note_does_not_meet_response(definition, open_incident, agent):
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    services.comment(incident, actor=agent, channel=Channel.WEB, body="internal", internal=True,
                     now=kst(2026, 11, 23, 10, 5))
    assert clocks_of(incident)[ClockKind.RESPONSE].state == ClockState.RUNNING


def test_pause_awaiting_caller_then_resume(definition, open_incident, agent):
    # given an incident in progress from Mon 10:00
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    incident = services.transition(incident, actor=agent, channel=Channel.WEB, target="in_progress",
                                   now=kst(2026, 11, 23, 10, 0))
    # when on hold awaiting the caller 11:00 → Tue 10:00
    incident = services.transition(incident, actor=agent, channel=Channel.WEB, target="on_hold",
                                   on_hold_reason="awaiting_caller", now=kst(2026, 11, 23, 11, 0))
    resolution = clocks_of(incident)[ClockKind.RESOLUTION]
    assert resolution.state == ClockState.PAUSED
    assert resolution.elapsed_business_seconds == 3600
    assert resolution.due_at is None and resolution.next_check_at is None
    services.transition(incident, actor=agent, channel=Channel.WEB, target="in_progress",
                        now=kst(2026, 11, 24, 10, 0))
    # then 3 business hours remain from Tue 10:00
    resolution = clocks_of(incident)[ClockKind.RESOLUTION]
    assert resolution.state == ClockState.RUNNING
    assert resolution.due_at == kst(2026, 11, 24, 13, 0)
    kinds = list(resolution.events.values_list("kind", flat=True))
    assert kinds == [EventKind.START, EventKind.PAUSE, EventKind.RESUME]


def test_awaiting_vendor_does_not_pause_by_default(definition, open_incident, agent):
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    incident = services.transition(incident, actor=agent, channel=Channel.WEB, target="on_hold",
                                   on_hold_reason="awaiting_vendor", now=kst(2026, 11, 23, 11, 0))
    assert clocks_of(incident)[ClockKind.RESOLUTION].state == ClockState.RUNNING


def test_resolve_stops_met_and_reopen_resumes(definition, open_incident, agent):
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    incident = services.resolve(incident, actor=agent, channel=Channel.WEB, code="solved_permanently",
                                notes="restarted", now=kst(2026, 11, 23, 12, 0))
    resolution = clocks_of(incident)[ClockKind.RESOLUTION]
    assert resolution.state == ClockState.MET
    assert resolution.stopped_at == kst(2026, 11, 23, 12, 0)
    assert resolution.elapsed_business_seconds == 2 * 3600
    # when reopened the next morning
    services.reopen(incident, actor=agent, channel=Channel.WEB, reason="still broken", now=kst(2026, 11, 24, 9, 0))
    resolution.refresh_from_db()
    assert resolution.state == ClockState.RUNNING
    assert resolution.stopped_at is None
    assert resolution.due_at == kst(2026, 11, 24, 11, 0)


def test_reopen_restart_policy_starts_a_new_clock(kr_calendar, open_incident, agent):
    make_definition(calendar=kr_calendar, on_reopen="restart")
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    incident = services.resolve(incident, actor=agent, channel=Channel.WEB, code="solved_permanently",
                                notes="x", now=kst(2026, 11, 23, 12, 0))
    services.reopen(incident, actor=agent, channel=Channel.WEB, now=kst(2026, 11, 24, 9, 0))
    resolution = SLAClock.objects.for_object(incident).filter(kind=ClockKind.RESOLUTION).order_by("id")
    assert [c.state for c in resolution] == [ClockState.MET, ClockState.RUNNING]
    assert resolution[1].started_at == kst(2026, 11, 24, 9, 0)


def test_priority_change_retargets_from_original_start_and_is_audited(definition, open_incident, agent):
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    # when raised to P2 (resolution 120) at 10:30
    services.update_incident(incident, actor=agent, channel=Channel.WEB, changes={"impact": 1, "urgency": 2},
                             now=kst(2026, 11, 23, 10, 30))
    resolution = clocks_of(incident)[ClockKind.RESOLUTION]
    assert resolution.priority == 2
    assert resolution.target_minutes == 120
    assert resolution.due_at == kst(2026, 11, 23, 12, 0)
    event = resolution.events.get(kind=EventKind.RETARGET)
    assert event.data == {"old_priority": 3, "new_priority": 2, "old_target": 240, "new_target": 120}
    assert AuditEntry.objects.for_object(incident).filter(action=AuditAction.SLA, field="sla_target").count() == 2


def test_lowered_target_already_exceeded_breaches_at_true_instant(definition, open_incident, agent):
    incident = open_incident(now=kst(2026, 11, 23, 9, 0))
    # 90 business minutes later P1 (resolution 60): it breached at 10:00
    services.update_incident(incident, actor=agent, channel=Channel.WEB, changes={"impact": 1, "urgency": 1},
                             now=kst(2026, 11, 23, 10, 30))
    resolution = clocks_of(incident)[ClockKind.RESOLUTION]
    assert resolution.state == ClockState.BREACHED
    assert resolution.breached_at == kst(2026, 11, 23, 10, 0)
    assert resolution.events.filter(kind=EventKind.BREACH).count() == 1


def test_cancel_cancels_clocks(definition, open_incident, agent):
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    services.cancel(incident, actor=agent, channel=Channel.WEB, now=kst(2026, 11, 23, 10, 5))
    states = set(SLAClock.objects.for_object(incident).values_list("state", flat=True))
    assert states == {ClockState.CANCELLED}


def test_ola_follows_reassignment(kr_calendar, definition, open_incident, agent, team, second_team):
    # given an OLA for the second group only
    group, member = second_team
    ola = make_definition("Network OLA", calendar=kr_calendar, agreement="ola",
                          applies_to={"assignment_groups": [group.pk]})
    incident = open_incident(now=kst(2026, 11, 23, 10, 0), assignment_group=team)
    assert not SLAClock.objects.for_object(incident).filter(definition=ola).exists()
    # when handed to the group at 14:00
    services.assign(incident, actor=agent, channel=Channel.WEB, group=group, now=kst(2026, 11, 23, 14, 0))
    # then the OLA counts from the hand-off, not from creation
    ola_clock = SLAClock.objects.for_object(incident).get(definition=ola, kind=ClockKind.RESOLUTION)
    assert ola_clock.started_at == kst(2026, 11, 23, 14, 0)
    started = AuditEntry.objects.for_object(incident).get(action=AuditAction.SLA, field="sla", new_value="started")
    assert started.context["definition"] == "Network OLA"
    # and handing it back cancels the OLA clock
    services.assign(incident, actor=agent, channel=Channel.WEB, group=team, now=kst(2026, 11, 23, 15, 0))
    ola_clock.refresh_from_db()
    assert ola_clock.state == ClockState.CANCELLED
    assert ola_clock.events.last().kind == EventKind.CANCEL


def test_explain_lists_events_with_calendar_and_target(definition, open_incident, agent):
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    incident = services.transition(incident, actor=agent, channel=Channel.WEB, target="on_hold",
                                   on_hold_reason="awaiting_caller", now=kst(2026, 11, 23, 11, 0))
    clock = clocks_of(incident)[ClockKind.RESOLUTION]
    # when
    result = engine.explain(clock, now=kst(2026, 11, 23, 12, 0))
    # then
    assert [e["kind"] for e in result["events"]] == ["start", "pause"]
    assert result["events"][1]["elapsed_business_seconds"] == 3600
    assert result["events"][0]["calendar"] == "KR office"
    assert result["events"][1]["detail"]["reason"] == "on_hold:awaiting_caller"
    assert result["elapsed_business_seconds"] == 3600


def test_events_replay_to_the_same_elapsed(definition, open_incident, agent):
    # given a clock with pause/resume across a night
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    incident = services.transition(incident, actor=agent, channel=Channel.WEB, target="on_hold",
                                   on_hold_reason="awaiting_caller", now=kst(2026, 11, 23, 17, 0))
    incident = services.transition(incident, actor=agent, channel=Channel.WEB, target="in_progress",
                                   now=kst(2026, 11, 24, 11, 0))
    services.resolve(incident, actor=agent, channel=Channel.WEB, code="solved_permanently", notes="x",
                     now=kst(2026, 11, 24, 12, 0))
    clock = SLAClock.objects.for_object(incident).get(kind=ClockKind.RESOLUTION)
    # when replayed from events with the pure clock
    from sla.calendars import calendar_for_definition
    from sla.clock import business_seconds_between

    pauses = engine._pauses_from_events(clock)
    replayed = business_seconds_between(calendar_for_definition(clock.definition), clock.started_at,
                                        clock.stopped_at, [(a, b) for a, b in pauses if b is not None])
    # then
    assert replayed == clock.elapsed_business_seconds == 8 * 3600
    assert clock.state == ClockState.BREACHED  # 240 min target, 8 h used
    assert ClockEvent.objects.filter(clock=clock, kind=EventKind.BREACH).get().at == kst(2026, 11, 23, 14, 0)


def test_priority_change_restart_policy(kr_calendar, open_incident, agent):
    definition = make_definition(calendar=kr_calendar, on_priority_change="restart")
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    services.update_incident(incident, actor=agent, channel=Channel.WEB, changes={"impact": 1, "urgency": 2},
                             now=kst(2026, 11, 23, 11, 0))
    resolution = SLAClock.objects.for_object(incident).filter(definition=definition, kind=ClockKind.RESOLUTION)
    assert [(c.state, c.priority) for c in resolution.order_by("id")] == [
        (ClockState.CANCELLED, 3), (ClockState.RUNNING, 2)]
    assert resolution.order_by("id").last().due_at == kst(2026, 11, 23, 13, 0)


def test_stop_at_closed_keeps_counting_while_resolved(kr_calendar, open_incident, agent):
    make_definition(calendar=kr_calendar, stop_at="closed")
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    incident = services.resolve(incident, actor=agent, channel=Channel.WEB, code="solved_permanently", notes="x",
                                now=kst(2026, 11, 23, 11, 0))
    assert clocks_of(incident)[ClockKind.RESOLUTION].state == ClockState.RUNNING
    services.close(incident, actor=agent, channel=Channel.WEB, now=kst(2026, 11, 23, 12, 0))
    resolution = clocks_of(incident)[ClockKind.RESOLUTION]
    assert (resolution.state, resolution.elapsed_business_seconds) == (ClockState.MET, 2 * 3600)


def test_pause_on_hold_reason_change_within_on_hold(definition, open_incident, agent):
    # awaiting vendor (counts) → awaiting caller (pauses) without leaving on_hold
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    incident = services.transition(incident, actor=agent, channel=Channel.WEB, target="on_hold",
                                   on_hold_reason="awaiting_vendor", now=kst(2026, 11, 23, 10, 30))
    services.update_incident(incident, actor=agent, channel=Channel.WEB,
                             changes={"on_hold_reason": "awaiting_caller"}, now=kst(2026, 11, 23, 11, 0))
    resolution = clocks_of(incident)[ClockKind.RESOLUTION]
    assert resolution.state == ClockState.PAUSED
    assert resolution.elapsed_business_seconds == 3600


def test_escalations_whose_wake_up_was_lost_are_run_by_the_outbox_sweep(kr_calendar, open_incident):
    from core import outbox
    from core.choices import AuditAction
    from core.models import AuditEntry
    from sla.models import EscalationRun

    make_definition(calendar=kr_calendar, rules=[{"threshold": 100, "action": "work_note"}])
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    sla_sweep.sweep(now=kst(2026, 11, 23, 11, 0))  # no on-commit wake-up ran: the broker lost it
    run = EscalationRun.objects.get()
    assert run.done_at is None
    # when beat's outbox sweep runs the dispatcher, twice
    outbox.deliver_due()
    outbox.deliver_due()
    # then the escalation ran, once
    run.refresh_from_db()
    assert run.done_at is not None
    assert AuditEntry.objects.for_object(incident).filter(action=AuditAction.ESCALATED).count() == 1