"""API v1 reports/: list, detail with the snapshot, downloads, generate, approve, distribute."""

import io

import pytest
from pypdf import PdfReader

from reports.models import ServiceReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(seeded, finance, manager_api):
    response = manager_api.post("/api/v1/reports/", {"organisation": finance.pk, "month": "2026-11"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_list_detail_and_downloads(generated, manager_api):
    listed = manager_api.get("/api/v1/reports/").json()
    assert listed["count"] == 1 and "snapshot" not in listed["results"][0]
    detail = manager_api.get(f"/api/v1/reports/{generated['id']}/").json()
    for key in ("id", "kind", "period_start", "period_end", "organisation", "service", "state", "snapshot", "files"):
        assert key in detail
    assert detail["period_start"] == "2026-11-01" and detail["snapshot"]["volumes"]["incidents"]["opened"] == 4
    pdf_url = next(f["url"] for f in detail["files"] if f["format"] == "pdf" and f["language"] == "ko")
    pdf = manager_api.get(pdf_url)
    assert pdf.status_code == 200 and "월간" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    xlsx = manager_api.get(f"/api/v1/reports/{generated['id']}/download/xlsx/?lang=en")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_bad_input_is_a_clear_4xx_and_changes_nothing(seeded, finance, manager_api):
    for month in ("2999-12", "2026-13", "five", ""):
        response = manager_api.post("/api/v1/reports/", {"organisation": finance.pk, "month": month}, format="json")
        assert response.status_code == 400 and "month" in response.json(), (month, response.content)
    assert manager_api.post("/api/v1/reports/", {"organisation": 999999, "month": "2026-11"},
                            format="json").status_code == 400
    assert not ServiceReport.objects.exists()


def test_approve_distribute_and_no_regeneration_after_approval(generated, finance, manager_api):
    url = f"/api/v1/reports/{generated['id']}/"
    assert manager_api.post(url + "approve/", {"version": 99}, format="json").status_code == 409
    approved = manager_api.post(url + "approve/", {"version": generated["version"]}, format="json")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    again = manager_api.post("/api/v1/reports/", {"organisation": finance.pk, "month": "2026-11"}, format="json")
    assert again.status_code == 409
    assert manager_api.post(url + "approve/", {}, format="json").status_code == 400
    bad = manager_api.post(url + "distribute/", {"recipients": ["nope"]}, format="json")
    assert bad.status_code == 400 and "recipients" in bad.json()
    done = manager_api.post(url + "distribute/", {"recipients": ["cio@example.com"]}, format="json")
    assert done.json()["state"] == "distributed" and done.json()["distributed_to"] == ["cio@example.com"]


def test_agents_and_end_users_get_404(generated, agent_api, end_user_api, api_client):
    for client in (agent_api, end_user_api):
        assert client.get("/api/v1/reports/").status_code == 404
        assert client.get(f"/api/v1/reports/{generated['id']}/").status_code == 404
        assert client.get(f"/api/v1/reports/{generated['id']}/download/pdf/").status_code == 404
    assert api_client.get("/api/v1/reports/").status_code == 401
