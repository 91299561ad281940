"""The issue's example: a grade-1 system with 40 outage minutes in a 30-day month and a
150-minute restore."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from availability import services as availability_services
from availability.tests.helpers import kst_nov
from core.choices import Channel
from core.exceptions import DomainError
from fulfilment.models import Request
from incidents.models import Incident
from problems.tests.factories import make_incident
from publicsla import selectors, services
from publicsla.models import Contract, Evaluation

NOVEMBER = dt.date(2026, 11, 1)
LATER = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)


@pytest.fixture
def example_month(contract, system_service, agent):
    """A 40-minute outage whose incident was restored 150 minutes after it was reported."""
    incident = make_incident(agent, service=system_service, title="포털 접속 불가")
    Incident.objects.filter(pk=incident.pk).update(created_at=kst_nov(12, 9), resolved_at=kst_nov(12, 11, 30),
                                                   state="resolved")
    incident.refresh_from_db()
    availability_services.record_outage(actor=agent, channel=Channel.WEB, service=system_service,
                                        start=kst_nov(12, 9), end=kst_nov(12, 9, 40), incident=incident)
    return incident


def test_grade_1_example_availability_is_below_the_minimum(contract, example_month):
    sheet = selectors.evaluate(contract, NOVEMBER, now=LATER)
    assert sheet["service_minutes"] == 43200 and sheet["outage_minutes"] == 40
    assert sheet["availability_percent"] == Decimal("99.9074")
    assert sheet["availability_minimum"] == Decimal("99.92")
    assert sheet["availability_below_minimum"] is True


def test_grade_1_example_restore_is_30_minutes_late_with_its_sanction(contract, example_month):
    sheet = selectors.evaluate(contract, NOVEMBER, now=LATER)
    assert [(d["incident"], d["restore_minutes"], d["minutes_over"]) for d in sheet["restore_delays"]] == [
        (example_month.number, 150, 30)]
    assert sheet["sanction"] == Decimal("3.00")  # 30 minutes × 0.1
    # availability scores 0 of its 40 %, the other indicators have nothing against them
    assert sheet["score"] == Decimal("57.00")
    assert sheet["penalty_percent"] == Decimal("20")
    assert sheet["penalty_amount"] == Decimal("10000000")


def test_the_annual_waiver_waives_one_month_once_a_year(contract, example_month, manager):
    services.grant_waiver(contract, actor=manager, channel=Channel.WEB, year=2026, month=11, reason="첫 위반")
    sheet = selectors.evaluate(contract, NOVEMBER, now=LATER)
    assert sheet["waived"] is True and sheet["penalty_amount"] == 0
    with pytest.raises(DomainError) as refused:
        services.grant_waiver(contract, actor=manager, channel=Channel.WEB, year=2026, month=12, reason="또")
    assert refused.value.field == "year"


def test_recording_an_evaluation_freezes_the_figures(contract, example_month, manager):
    evaluation = services.record_evaluation(contract, NOVEMBER, actor=manager, channel=Channel.WEB, now=LATER)
    assert evaluation.penalty_amount == Decimal("10000000")
    assert evaluation.figures["restore_delays"][0]["minutes_over"] == 30
    assert Evaluation.objects.count() == 1


def test_recurrence_counts_incidents_of_the_same_ci_and_category_in_the_month(contract, system_service, agent):
    for _ in range(3):
        make_incident(agent, service=system_service, title="같은 장애")
    Incident.objects.update(created_at=kst_nov(5, 10))
    total, rate = selectors.recurrence(*selectors.availability_rules.month_bounds(NOVEMBER), [system_service.pk])
    assert (total, rate) == (3, 66.667)


def test_a_table_whose_weights_miss_100_saves_nothing(manager, system_service):
    from publicsla import rules

    table = rules.default_indicators(1)
    table[-1]["weight"] = Decimal("10")
    with pytest.raises(DomainError) as refused:
        services.create_contract(actor=manager, channel=Channel.WEB, name="x", system_grade=1, indicators=table)
    assert refused.value.field == "indicators"
    assert not Contract.objects.exists()


def test_evaluation_runs_a_fixed_number_of_queries(contract, example_month, django_assert_num_queries):
    contract = selectors.contracts_queryset().get(pk=contract.pk)
    # A running server has its content types cached: whether this process has depends on which
    # tests ran before (alone, the request's type costs a statement more).
    ContentType.objects.get_for_model(Request)
    with django_assert_num_queries(8):
        selectors.evaluate(contract, NOVEMBER, now=LATER)
