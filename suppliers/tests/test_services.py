"""Writers and selectors with the database: the contract's agreement runs in the SLA engine,
the alignment check over real definitions, nothing half-saved, events once."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.choices import Channel
from core.models import AuditEntry, OutboxEvent
from sla.models import SLADefinition
from suppliers import selectors, services
from suppliers.models import Contract, Dispute

pytestmark = pytest.mark.django_db


def test_a_uc_is_an_agreement_the_sla_engine_runs_on_the_suppliers_tickets(make_contract, hanbit, erp):
    # when
    contract = make_contract(8 * 60)
    # then
    definition = contract.definition
    assert definition.agreement == "uc" and definition.active
    assert definition.applies_to == {"services": [erp.pk], "assignment_groups": [hanbit.team_id]}
    assert [(t.priority, t.response_minutes, t.resolution_minutes) for t in definition.targets.all()] == [(1, 10, 480)]
    assert AuditEntry.objects.filter(object_id=contract.pk, action="created",
                                     content_type__model="contract").count() == 1


def test_the_alignment_check_flags_an_8h_uc_under_the_4h_p1_sla(make_contract, p1_sla, erp):
    contract = make_contract(8 * 60)
    warnings = selectors.alignment_warnings([selectors.contract_queryset().get(pk=contract.pk)])[contract.pk]
    assert [(w["sla"], w["priority"], w["kind"], w["target_minutes"], w["sla_minutes"], w["basis"])
            for w in warnings] == [(p1_sla.pk, 1, "resolution", 480, 240, "business")]
    assert warnings[0]["services"] == [erp.pk]


def test_a_2h_uc_under_the_4h_p1_sla_is_aligned(make_contract, p1_sla):
    contract = make_contract(2 * 60, response=10)
    assert selectors.alignment_warnings([selectors.contract_queryset().get(pk=contract.pk)]) == {contract.pk: []}


def test_a_contract_ending_before_it_starts_saves_nothing(manager, hanbit, erp):
    with pytest.raises(ValidationError) as refused:
        services.save_contract(None, actor=manager, channel=Channel.WEB, fields={
            "title": "Backwards", "kind": "uc", "supplier": hanbit, "start": datetime.date(2026, 5, 1),
            "end": datetime.date(2026, 4, 1)}, services=[erp], targets=[{"priority": 1, "resolution_minutes": 60}])
    assert list(refused.value.message_dict) == ["end"]
    assert not Contract.objects.exists() and not SLADefinition.objects.exists() and not AuditEntry.objects.filter(content_type__model="contract").exists()


def test_bad_targets_save_nothing(manager, hanbit):
    with pytest.raises(ValidationError) as refused:
        services.save_contract(None, actor=manager, channel=Channel.WEB, fields={
            "title": "Twice P1", "kind": "uc", "supplier": hanbit, "start": datetime.date(2026, 1, 1),
            "end": datetime.date(2026, 12, 31)},
            targets=[{"priority": 1, "resolution_minutes": 60}, {"priority": 1, "resolution_minutes": 90}])
    assert list(refused.value.message_dict) == ["targets"]
    assert not Contract.objects.exists()


def test_an_ola_or_uc_needs_the_suppliers_group(manager, hanbit):
    hanbit.team = None
    hanbit.save()
    with pytest.raises(ValidationError) as refused:
        services.save_contract(None, actor=manager, channel=Channel.WEB, fields={
            "title": "No group", "kind": "ola", "supplier": hanbit, "start": datetime.date(2026, 1, 1),
            "end": datetime.date(2026, 12, 31)}, targets=[{"priority": 1, "resolution_minutes": 60}])
    assert "targets" in refused.value.message_dict and not Contract.objects.exists()


def test_editing_targets_updates_the_same_definition(make_contract, manager):
    contract = make_contract(8 * 60)
    definition_id = contract.definition_id
    services.save_contract(contract, actor=manager, channel=Channel.WEB, fields={},
                           targets=[{"priority": 1, "response_minutes": 15, "resolution_minutes": 180}],
                           expected_version=contract.version)
    contract.refresh_from_db()
    assert contract.definition_id == definition_id
    assert [(t.priority, t.resolution_minutes) for t in contract.definition.targets.all()] == [(1, 180)]


def test_contract_expiring_is_published_once_per_contract(make_contract):
    today = datetime.date(2026, 12, 1)
    soon = make_contract(title="Soon", end=datetime.date(2026, 12, 20))
    make_contract(title="Later", end=datetime.date(2027, 6, 1))
    # when: the beat runs twice
    assert services.publish_expiring(days=90, today=today) == 1
    assert services.publish_expiring(days=90, today=today) == 0
    # then
    events = OutboxEvent.objects.filter(name="contract.expiring")
    assert [e.object_id for e in events] == [soon.pk]


def test_resolving_a_dispute_needs_the_resolution(make_contract, manager):
    contract = make_contract()
    dispute = services.save_dispute(None, actor=manager, channel=Channel.WEB, fields={
        "contract": contract, "subject": "Credit for the March outage", "amount": 4500000})
    with pytest.raises(ValidationError) as refused:
        services.save_dispute(dispute, actor=manager, channel=Channel.WEB, fields={"state": "resolved"})
    assert list(refused.value.message_dict) == ["resolution"]
    assert Dispute.objects.get().state == "open"
    resolved = services.save_dispute(dispute, actor=manager, channel=Channel.WEB,
                                     fields={"state": "resolved", "resolution": "Credit of 3,000,000 agreed."})
    assert resolved.resolved_on is not None and resolved.version == 2


def test_scorecard_counts_the_suppliers_tickets_and_clocks(make_contract, hanbit, agent, end_user, p1_sla):
    from incidents import services as incident_services

    contract = make_contract(8 * 60)
    services.save_dispute(None, actor=agent, channel=Channel.WEB, fields={
        "contract": contract, "subject": "Invoice", "raised_on": datetime.date.today()})
    incident = incident_services.open_incident(actor=agent, channel=Channel.WEB, title="ERP down", caller=end_user,
                                               impact=1, urgency=1, assignment_group=hanbit.team)
    incident_services.open_incident(actor=agent, channel=Channel.WEB, title="Other", caller=end_user,
                                    impact=3, urgency=3)
    today = datetime.date.today()
    start = datetime.date(today.year, 1, 1)
    end = datetime.date(today.year + 1, 1, 1)
    # when
    card = selectors.scorecards(start, end, supplier_ids=[hanbit.pk])[hanbit.pk]
    rows = selectors.supplier_performance(start, end)
    # then
    assert incident.priority == 1
    assert card["tickets"] == 1 and card["disputes"] == 1 and card["disputes_open"] == 1
    assert card["met_percent"] is None and card["score"] is None  # nothing finished yet
    assert rows == [{"supplier": "(주)한빛시스템", "supplier_id": hanbit.pk, **card}]


def test_the_agreement_of_an_ended_contract_stops_applying(make_contract):
    today = datetime.date.today()
    ended = make_contract(title="Ends soon", start=today - datetime.timedelta(days=100),
                          end=today + datetime.timedelta(days=10))
    running = make_contract(title="Running", start=today, end=today + datetime.timedelta(days=400))
    # when: a month later, twice
    later = today + datetime.timedelta(days=30)
    assert services.close_ended(today=later) == 1
    assert services.close_ended(today=later) == 0
    assert SLADefinition.objects.get(pk=ended.definition_id).active is False
    assert SLADefinition.objects.get(pk=running.definition_id).active is True
