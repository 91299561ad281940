"""improvement_summary: the figures dashboards and monthly reports read, set-based (three queries)."""

from datetime import date, datetime, timedelta, timezone as dt_timezone
from decimal import Decimal

import pytest

from accounts.models import Organisation
from improvements.choices import ImprovementState as S
from improvements.selectors import improvement_summary
from improvements.tests.conftest import walk

pytestmark = pytest.mark.django_db
NOV = datetime(2026, 11, 1, tzinfo=dt_timezone.utc)
DEC = datetime(2026, 12, 1, tzinfo=dt_timezone.utc)


def test_the_summary_counts_raised_open_closed_overdue_and_sources(make_item, agent, django_assert_num_queries):
    # given: two organisations
    finance, hr = (Organisation.objects.create(name="Finance", code="FIN"),
                   Organisation.objects.create(name="HR", code="HR"))
    old = make_item(title="Raised in October", organisation=finance, owner=agent, due_date=date(2026, 11, 15),
                    now=NOV - timedelta(days=10))
    make_item(title="Raised in November", organisation=finance, source_type="audit_finding",
              now=NOV + timedelta(days=3))
    done = walk(make_item(title="Closed in November", organisation=finance, owner=agent, now=NOV - timedelta(days=40)),
                agent, S.APPROVED, S.IN_PROGRESS, S.IMPLEMENTED)
    from improvements import services

    services.transition_improvement(done, S.CLOSED_EFFECTIVE, actor=agent, channel="web", now=NOV + timedelta(days=20),
                                    result_value=Decimal("1"), result_date=date(2026, 11, 20), verified_by=agent)
    make_item(title="Other organisation", organisation=hr, now=NOV + timedelta(days=5))
    # when
    with django_assert_num_queries(3):
        summary = improvement_summary(start=NOV, end=DEC, organisation=finance, today=date(2026, 12, 2))
    # then
    assert summary["raised"] == 1
    assert summary["open"] == 2
    assert summary["closed_effective"] == 1
    assert summary["overdue"] == 1
    assert summary["by_source"] == {"manual": 1, "audit_finding": 1}
    assert {i["title"] for i in summary["items"]} == {"Raised in October", "Raised in November", "Closed in November"}
    first = next(i for i in summary["items"] if i["id"] == old.pk)
    assert first == {"id": old.pk, "number": old.number, "title": "Raised in October", "state": "proposed",
                     "owner": str(agent), "due_date": date(2026, 11, 15), "source_type": "manual"}
    # and across every organisation
    assert improvement_summary(start=NOV, end=DEC)["raised"] == 2


def test_an_empty_register_answers_zeros(db):
    assert improvement_summary(start=NOV, end=DEC) == {"raised": 0, "open": 0, "closed_effective": 0, "overdue": 0,
                                                        "by_source": {}, "items": []}
