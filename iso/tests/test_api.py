"""API v1 iso/clauses/ and iso/evidence-packs/: shapes, refusals, who may do what."""

import datetime as dt

import pytest
from django.utils import timezone

from iso import services
from iso.models import EvidencePack, PackState
from iso.tests.conftest import approved_document, make_changes

pytestmark = pytest.mark.django_db
CLAUSES = "/api/v1/iso/clauses/"
PACKS = "/api/v1/iso/evidence-packs/"


def _body(**overrides):
    today = timezone.localdate()
    return {"clauses": ["8.5.1"], "period_start": str(today - dt.timedelta(days=30)), "period_end": str(today),
            "sample_size": 5, "seed": "s1", **overrides}


def test_clauses_list_readiness_and_reasons(agent_api):
    answer = agent_api.get(CLAUSES, {"page_size": 200}).json()
    assert answer["count"] == 58
    row = next(r for r in answer["results"] if r["id"] == "8.5.1")
    assert row["title"] == "Changes" and row["readiness"] == "red" and row["reasons"]


def test_clause_in_korean_and_unknown_clause(agent_api):
    answer = agent_api.get(CLAUSES + "8.5.1/", HTTP_ACCEPT_LANGUAGE="ko").json()
    assert answer["title"] == "변경 관리" and answer["checks"]
    assert agent_api.get(CLAUSES + "8.5.9/").status_code == 404


def test_clause_turns_amber_then_green(agent, manager, agent_api, audited):
    make_changes(agent, 1)
    assert agent_api.get(CLAUSES + "8.5.1/").json()["readiness"] == "amber"
    approved_document(manager, ["8.5.1"])
    audited.add("8.5.1")
    assert agent_api.get(CLAUSES + "8.5.1/").json()["readiness"] == "green"


def test_clause_list_runs_a_constant_number_of_queries(agent, agent_api, django_assert_max_num_queries):
    agent_api.get(CLAUSES)
    make_changes(agent, 3)
    with django_assert_max_num_queries(30):
        agent_api.get(CLAUSES)


def test_manager_requests_polls_and_downloads(agent, manager, manager_api, django_capture_on_commit_callbacks):
    make_changes(agent, 4)
    answer = manager_api.post(PACKS, _body(), format="json")
    assert answer.status_code == 201, answer.content
    pack_id = answer.json()["id"]
    assert answer.json()["state"] == "queued"
    assert manager_api.get(PACKS + f"{pack_id}/download/").status_code == 409
    services.build(pack_id)
    status = manager_api.get(PACKS + f"{pack_id}/").json()
    assert status["state"] == "ready" and status["progress"] == 100 and status["download_url"]
    download = manager_api.get(PACKS + f"{pack_id}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_same_seed_through_the_api_same_sample(agent, manager_api):
    make_changes(agent, 6)
    samples = []
    for _ in range(2):
        pack_id = manager_api.post(PACKS, _body(sample_size=2), format="json").json()["id"]
        services.build(pack_id)
        samples.append(manager_api.get(PACKS + f"{pack_id}/").json()["sample"])
    assert samples[0] == samples[1] and len(samples[0]["8.5.1"]["changes.Change"]) == 2


@pytest.mark.parametrize("overrides, field", [
    ({"period_end": "2020-01-01", "period_start": "2020-02-01"}, "period_end"),
    ({"sample_size": 0}, "sample_size"),
    ({"sample_size": 10_000_000}, "sample_size"),
    ({"clauses": ["8.5.9"]}, "clauses"),
    ({"period_start": "yesterday"}, "period_start"),
    ({"seed": "x" * 65}, "seed"),
])
def test_bad_input_is_a_400_naming_the_field(manager_api, overrides, field):
    answer = manager_api.post(PACKS, _body(**overrides), format="json")
    assert answer.status_code == 400 and field in answer.json()
    assert not EvidencePack.objects.exists()


def test_agents_end_users_and_auditors_cannot_request(agent_api, end_user_api, auditor, api_as):
    assert agent_api.post(PACKS, _body(), format="json").status_code == 403
    assert agent_api.get(PACKS).status_code == 403
    assert end_user_api.post(PACKS, _body(), format="json").status_code == 403
    assert end_user_api.get(CLAUSES).status_code == 403
    auditor_api = api_as(auditor)
    assert auditor_api.post(PACKS, _body(), format="json").status_code == 403
    assert auditor_api.get(PACKS).status_code == 200 and auditor_api.get(CLAUSES).status_code == 200
    assert not EvidencePack.objects.exists()


def test_auditor_downloads_a_ready_pack_but_a_failed_one_has_nothing(agent, manager, auditor, api_as, monkeypatch):
    make_changes(agent, 1)
    pack = services.request_pack(actor=manager, channel="web", clauses=["8.5.1"], period_start=timezone.localdate(),
                                 period_end=timezone.localdate(), sample_size=1, seed="a")
    services.build(pack.pk)
    auditor_api = api_as(auditor)
    assert auditor_api.get(PACKS + f"{pack.pk}/download/").status_code == 200
    monkeypatch.setattr("iso.packs.write", lambda *a, **k: 1 / 0)
    failed = services.request_pack(actor=manager, channel="web", clauses=["8.5.1"],
                                   period_start=timezone.localdate(), period_end=timezone.localdate(),
                                   sample_size=1, seed="a")
    assert services.build(failed.pk).state == PackState.FAILED
    answer = auditor_api.get(PACKS + f"{failed.pk}/download/")
    assert answer.status_code == 409 and answer.json()["detail"]
    assert auditor_api.get(PACKS + "nope/").status_code == 404


def test_pack_list_runs_a_constant_number_of_queries(manager, manager_api, django_assert_num_queries):
    for seed in "ab":
        services.request_pack(actor=manager, channel="web", clauses=["8.5.1"], period_start=timezone.localdate(),
                              period_end=timezone.localdate(), sample_size=1, seed=seed)
    manager_api.get(PACKS)
    with django_assert_num_queries(3):  # token with roles + count + page
        manager_api.get(PACKS)
