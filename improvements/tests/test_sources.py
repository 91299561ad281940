"""The register's subscribers: only relevant events get a delivery, and each raises one item
that keeps its source, with an owner where the source names a team."""

from django.db import transaction
import pytest

from changes.tests.factories import make_change
from core import events, outbox
from core.choices import Channel
from core.models import Delivery
from improvements.choices import SourceType
from improvements.models import Improvement
from problems.tests.factories import make_incident, make_known_error

pytestmark = pytest.mark.django_db


def _deliveries(handler):
    return Delivery.objects.filter(handler=handler).count()


def test_only_resolution_breaches_of_p1_and_p2_tickets_raise_items(end_user, team, manager):
    # given
    urgent = make_incident(end_user, title="Payroll down", priority=1, assignment_group=team)
    routine = make_incident(end_user, title="Mouse broken", priority=4)
    # when
    with transaction.atomic():
        events.publish("sla.breached", urgent, data={"kind": "resolution", "definition": "Standard"})
        events.publish("sla.breached", urgent, data={"kind": "response"})
        events.publish("sla.breached", routine, data={"kind": "resolution"})
    # then: one delivery, one item
    assert _deliveries("improvements.raise.sla_breach") == 1
    outbox.deliver_due()
    item = Improvement.objects.get()
    assert item.source_type == SourceType.SLA_BREACH and item.source == urgent
    assert urgent.number in item.source_label and item.owner == manager  # the group's manager
    assert item.due_date is not None


def test_a_breach_published_on_the_clock_itself_raises_nothing(end_user):
    # given: the sweep publishes the clock when its ticket is gone (sla.engine.publish_thresholds)
    from sla.models import SLAClock

    clock = SLAClock(priority=1)
    event = events.Event(name="sla.breached", record=clock, data={"kind": "resolution"})
    # then
    from improvements.sources import is_serious_breach

    assert not is_serious_breach(event)


def test_a_redelivered_breach_raises_nothing_new(end_user):
    urgent = make_incident(end_user, priority=2)
    for _ in range(2):
        with transaction.atomic():
            events.publish("sla.breached", urgent, data={"kind": "resolution"})
        outbox.deliver_due()
    assert Improvement.objects.count() == 1


def test_the_breach_rule_is_a_setting(end_user, settings):
    settings.IMPROVEMENTS_SLA_BREACH_PRIORITIES = (1, 2, 3, 4)
    routine = make_incident(end_user, priority=4)
    with transaction.atomic():
        events.publish("sla.breached", routine, data={"kind": "resolution"})
    outbox.deliver_due()
    assert Improvement.objects.get().source == routine


def test_a_known_error_raises_a_permanent_fix(agent):
    problem = make_known_error(agent)
    outbox.deliver_due()
    item = Improvement.objects.get()
    assert item.source == problem and item.source_type == SourceType.PROBLEM and problem.number in item.title


def test_a_resolved_major_incident_raises_its_post_incident_review(end_user):
    major = make_incident(end_user, title="E-mail down for all", is_major=True, resolution_notes="Gateway restarted")
    minor = make_incident(end_user, title="One mailbox full")
    with transaction.atomic():
        events.publish("incident.resolved", major)
        events.publish("incident.resolved", minor)
    outbox.deliver_due()
    item = Improvement.objects.get()
    assert item.source == major and item.source_type == SourceType.INCIDENT_REVIEW
    assert item.description == "Gateway restarted"


def test_a_failed_change_raises_its_review(agent):
    failed = make_change(agent, title="Upgrade mail gateway")
    fine = make_change(agent, title="Patch file server")
    type(failed).objects.filter(pk=failed.pk).update(outcome="failed")
    failed.refresh_from_db()
    with transaction.atomic():
        events.publish("change.closed", failed)
        events.publish("change.closed", fine)
    assert _deliveries("improvements.raise.change_review") == 1
    outbox.deliver_due()
    item = Improvement.objects.get()
    assert item.source == failed and item.source_type == SourceType.CHANGE_REVIEW


def test_a_complaint_raises_an_item_with_the_team_manager_as_owner(team, manager, agent):
    # given: a VOC record stands in (the VOC app is read by event name only)
    record = make_incident(agent, title="Rude answer on the phone")
    with transaction.atomic():
        events.publish("voc.created", record, data={"kind": "complaint", "assignment_group": team.pk})
        events.publish("voc.created", record, data={"kind": "compliment"})
    assert _deliveries("improvements.raise.complaint") == 1
    outbox.deliver_due()
    item = Improvement.objects.get()
    assert item.source_type == SourceType.COMPLAINT and item.owner == manager and item.source == record


def test_a_low_score_raises_an_item_keeping_the_ticket_and_comment(team, manager, agent):
    response = make_incident(agent, title="stand-in for a survey response")
    with transaction.atomic():
        events.publish("survey.low_score", response, channel=Channel.PORTAL, data={
            "score": 1, "comment": "Nobody called back", "ticket": {"number": "INC0009999"},
            "assignment_group": team.pk, "organisation": None, "service": "not-an-id"})
    outbox.deliver_due()
    item = Improvement.objects.get()
    assert item.source_type == SourceType.LOW_SATISFACTION and item.owner == manager
    assert item.description == "Nobody called back" and "INC0009999" in item.title
    assert item.service is None and item.organisation is None
