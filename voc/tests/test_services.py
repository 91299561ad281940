"""VOC records: creation with due date and events, response, closing rule, escalation."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core import outbox
from core.choices import Channel
from core.exceptions import DomainError, StaleVersion
from core.models import OutboxEvent
from incidents import services as incident_services
from voc import services, selectors
from voc.choices import VocState
from voc.models import Voc

WEB = Channel.WEB


def test_a_complaint_gets_a_number_a_due_date_and_publishes_voc_created(complaint, end_user, service):
    assert complaint.number.startswith("VOC") and complaint.state == VocState.NEW
    assert complaint.reported_by == end_user and complaint.organisation == end_user.organisation
    assert complaint.due_at == complaint.created_at + dt.timedelta(days=7)
    event = OutboxEvent.objects.get(name="voc.created")
    assert event.data == {"kind": "complaint", "service": service.pk, "organisation": end_user.organisation_id}


def test_linked_tickets_are_the_ones_the_person_can_see(agent, end_user, other_end_user):
    mine = incident_services.open_incident(actor=agent, channel=WEB, title="VPN", caller=end_user)
    theirs = incident_services.open_incident(actor=agent, channel=WEB, title="VPN", caller=other_end_user)
    voc = services.create_voc(actor=end_user, channel=Channel.PORTAL, kind="inquiry", title="언제 되나요",
                              tickets=[mine.number.lower()])
    assert list(voc.ticket_links.values_list("number", flat=True)) == [mine.number]
    with pytest.raises(DomainError) as refused:
        services.create_voc(actor=end_user, channel=Channel.PORTAL, kind="inquiry", title="x", tickets=[theirs.number])
    assert refused.value.field == "tickets"


def test_a_complaint_cannot_be_closed_without_a_response(complaint, agent):
    with pytest.raises(DomainError) as refused:
        services.transition_voc(complaint, VocState.CLOSED, actor=agent, channel=WEB)
    assert Voc.objects.get().state == VocState.NEW
    with pytest.raises(DomainError) as refused:
        services.respond(complaint, actor=agent, channel=WEB, response="  ")
    assert refused.value.field == "response"
    assert Voc.objects.get().state == VocState.NEW


def test_responding_records_it_mails_the_person_and_then_it_may_close(complaint, agent, end_user):
    voc = services.respond(complaint, actor=agent, channel=WEB, response="담당 부서에서 오늘 처리했습니다.")
    assert (voc.state, voc.responded_by, voc.response) == (VocState.RESPONDED, agent, "담당 부서에서 오늘 처리했습니다.")
    assert voc.responded_at is not None
    assert OutboxEvent.objects.filter(name="voc.responded").get().data["kind"] == "complaint"
    outbox.deliver_due()
    assert [m.to for m in mail.outbox if voc.number in m.subject] == [[end_user.email]]
    with pytest.raises(StaleVersion):
        services.transition_voc(voc, VocState.CLOSED, actor=agent, channel=WEB, expected_version=1)
    closed = services.transition_voc(voc, VocState.CLOSED, actor=agent, channel=WEB, expected_version=voc.version)
    assert closed.state == VocState.CLOSED and closed.closed_at is not None
    event = OutboxEvent.objects.get(name="voc.closed")
    assert event.data["kind"] == "complaint" and event.data["service"] == voc.service_id


def test_a_suggestion_may_close_without_a_response(agent):
    voc = services.create_voc(actor=agent, channel=WEB, kind="suggestion", title="Dark mode")
    voc = services.transition_voc(voc, VocState.IN_PROGRESS, actor=agent, channel=WEB)
    with pytest.raises(DomainError):  # closing is from responded only
        services.transition_voc(voc, VocState.CLOSED, actor=agent, channel=WEB)


def test_escalation_on_demand_goes_to_the_service_owner_group_and_tells_its_manager(complaint, agent, owners):
    voc = services.escalate(complaint, actor=agent, channel=WEB, reason="민원인이 재차 문의")
    assert (voc.escalation_level, voc.assignment_group) == (1, owners)
    event = OutboxEvent.objects.get(name="voc.escalated")
    assert event.data["level"] == 1 and event.data["team"] == owners.pk
    outbox.deliver_due()
    assert [m.to for m in mail.outbox if "escalated" in m.subject.lower() or voc.number in m.subject] \
        == [[owners.manager.email]]


def test_only_open_complaints_escalate(agent):
    voc = services.create_voc(actor=agent, channel=WEB, kind="compliment", title="Thanks")
    with pytest.raises(DomainError):
        services.escalate(voc, actor=agent, channel=WEB)


def test_the_sweep_escalates_complaints_open_past_n_days_once(complaint, agent, owners, settings):
    settings.VOC_ESCALATE_AFTER_DAYS = 3
    assert services.escalate_due() == 0
    later = timezone.now() + dt.timedelta(days=4)
    assert services.escalate_due(now=later) == 1
    assert services.escalate_due(now=later) == 0
    assert Voc.objects.get().escalation_level == 1


def test_voc_summary_counts_by_kind_open_overdue_and_in_time(complaint, agent, end_user, service):
    services.create_voc(actor=agent, channel=WEB, kind="compliment", title="감사합니다", service=service)
    inquiry = services.create_voc(actor=agent, channel=WEB, kind="inquiry", title="문의")
    services.respond(inquiry, actor=agent, channel=WEB, response="답변")
    now = timezone.now()
    start, end = now - dt.timedelta(days=1), now + dt.timedelta(days=1)
    summary = selectors.voc_summary(start=start, end=end)
    assert summary == {"received": 3, "by_kind": {"complaint": 1, "suggestion": 0, "compliment": 1, "inquiry": 1},
                       "open_complaints": 1, "overdue_complaints": 0, "responded_in_time_percent": 100.0}
    assert selectors.voc_summary(start=start, end=end, service=service)["received"] == 2
    later = selectors.voc_summary(start=start, end=end, now=now + dt.timedelta(days=8))
    assert later["overdue_complaints"] == 1
    assert selectors.voc_summary(start=end, end=end + dt.timedelta(days=1))["responded_in_time_percent"] is None


def test_voc_summary_is_two_queries(django_assert_num_queries, db):
    now = timezone.now()
    with django_assert_num_queries(2):
        selectors.voc_summary(start=now - dt.timedelta(days=30), end=now)
