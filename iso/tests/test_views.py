"""Desk pages: the readiness grid, a clause, evidence packs (request, list with progress, download)."""

import pytest
from django.test import Client
from django.utils import timezone

from iso import services
from iso.models import EvidencePack
from iso.tests.conftest import make_changes

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_grid_shows_every_clause_with_its_light_in_korean(agent):
    page = _client(agent).get("/iso/", HTTP_ACCEPT_LANGUAGE="ko")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="clause-row"') == 58
    assert "변경 관리" in html and "적색" in html


def test_grid_moves_as_records_arrive(agent):
    client = _client(agent)
    assert 'data-clause="8.5.1" data-light="red"' in client.get("/iso/").content.decode()
    make_changes(agent, 1)
    assert 'data-clause="8.5.1" data-light="amber"' in client.get("/iso/").content.decode()


def test_grid_runs_a_constant_number_of_queries(agent, django_assert_max_num_queries):
    client = _client(agent)
    client.get("/iso/")
    make_changes(agent, 2)
    with django_assert_max_num_queries(40):
        client.get("/iso/")


def test_clause_page_counts_its_sources(agent):
    make_changes(agent, 2)
    html = _client(agent).get("/iso/clauses/8.5.1/").content.decode()
    assert '<td class="text-end" data-testid="source-count">2</td>' in html
    assert _client(agent).get("/iso/clauses/99/").status_code == 404


def test_manager_requests_a_pack_and_bad_input_is_400(manager):
    client = _client(manager)
    today = timezone.localdate().isoformat()
    bad = client.post("/iso/evidence-packs/", {"clauses": ["8.5.1"], "period_start": today,
                                               "period_end": "2000-01-01", "sample_size": 5, "language": "en"})
    assert bad.status_code == 400 and "The period ends before it starts." in bad.content.decode()
    good = client.post("/iso/evidence-packs/", {"clauses": ["8.5.1"], "period_start": today, "period_end": today,
                                                "sample_size": 5, "seed": "x", "language": "en"})
    assert good.status_code == 302 and EvidencePack.objects.count() == 1


def test_progress_polls_while_building_and_download_appears(manager, agent):
    make_changes(agent, 1)
    pack = services.request_pack(actor=manager, channel="web", clauses=["8.5.1"], period_start=timezone.localdate(),
                                 period_end=timezone.localdate(), sample_size=1, seed="x")
    client = _client(manager)
    rows = client.get("/iso/evidence-packs/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="pack-rows").content.decode()
    assert 'hx-trigger="every 2s"' in rows and "pack-progress" in rows and "<html" not in rows
    services.build(pack.pk)
    page = client.get("/iso/evidence-packs/").content.decode()
    assert "every 2s" not in page and f"/iso/evidence-packs/{pack.pk}/download/" in page
    assert client.get(f"/iso/evidence-packs/{pack.pk}/download/")["Content-Type"] == "application/zip"


def test_agents_cannot_see_packs_and_auditors_cannot_request(agent, auditor):
    assert _client(agent).get("/iso/evidence-packs/").status_code == 403
    client = _client(auditor)
    assert client.get("/iso/evidence-packs/").status_code == 200
    assert client.get("/iso/").status_code == 200
    assert client.post("/iso/evidence-packs/", {"sample_size": 5}).status_code == 403
