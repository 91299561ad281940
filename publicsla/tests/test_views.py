import io

from openpyxl import load_workbook

from availability.models import Outage
from availability.tests.helpers import kst_nov


def test_the_xlsx_sheet_is_in_korean_with_the_figures(client, agent, contract):
    client.force_login(agent)
    answer = client.get(f"/public-sla/{contract.pk}/evaluation.xlsx?month=2026-11")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet["A1"].value == "공공 SLA 평가표"
    cells = {sheet.cell(row, 1).value: sheet.cell(row, 2).value for row in range(3, 15)}
    assert cells["가용률(%)"] == 100.0 and cells["지체상금액"] == 0


def test_an_agent_cannot_change_a_contract_from_the_desk(client, agent, contract):
    client.force_login(agent)
    assert client.post(f"/public-sla/{contract.pk}/", {"name": "x"}).status_code == 403


def test_the_outage_form_refuses_an_overlap_with_the_reason(client, agent, system_service):
    from availability import services

    services.record_outage(actor=agent, channel="web", service=system_service, start=kst_nov(1, 1),
                           end=kst_nov(1, 3))
    client.force_login(agent)
    answer = client.post("/availability/outages/new/", {"service": system_service.pk, "start": "2026-11-01T02:00",
                                                        "end": "2026-11-01T04:00"})
    assert answer.status_code == 400
    assert "already has an outage" in answer.content.decode()
    assert Outage.objects.count() == 1
