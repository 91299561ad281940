"""Browser: a manager reads ISO/IEC 20000-1 readiness (clause tree with lights and reasons), opens
clause 8.5.1, requests its evidence pack and downloads it; English and Korean, 1440 and 390 px."""

import zipfile

import pytest

from conftest import shots, sign_in
from iso.tests.conftest import approved_document, make_changes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_readiness_and_builds_an_evidence_pack(page, login, manager, agent, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_changes(agent, 3)
    approved_document(manager, ["8.5.1", "5.2"])
    sign_in(page, login, manager, "en")

    page.goto("/iso/")
    grid = page.get_by_test_id("readiness-grid")
    assert grid.locator('[data-clause="8.5.1"]').get_attribute("data-light") == "amber"
    assert "Not covered by an internal audit" in grid.locator('[data-clause="8.5.1"]').inner_text()
    shots(page, "iso-readiness-en")

    page.locator('[data-clause="8.5.1"] a').click()
    page.wait_for_load_state("networkidle")
    assert "8.5.1 · Changes" in page.get_by_test_id("clause-title").inner_text()
    assert "DOC0000001" in page.get_by_test_id("clause-documents").inner_text()
    shots(page, "iso-clause-en")

    page.get_by_role("link", name="Evidence pack").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_seed", "audit-2026")
    page.fill("#id_sample_size", "2")
    page.get_by_test_id("pack-submit").click()
    page.wait_for_load_state("networkidle")
    row = page.get_by_test_id("pack-row").first
    row.get_by_test_id("pack-download").wait_for(timeout=30000)
    assert row.get_attribute("data-state") == "ready"
    shots(page, "iso-packs-en")
    with page.expect_download() as download:
        row.get_by_test_id("pack-download").click()
    path = tmp_path / "pack.zip"
    download.value.save_as(path)
    assert "index.pdf" in zipfile.ZipFile(path).namelist()

    sign_in(page, login, manager, "ko")
    page.goto("/iso/")
    assert "변경 관리" in page.get_by_test_id("readiness-grid").inner_text()
    shots(page, "iso-readiness-ko")
    page.goto("/iso/clauses/8.5.1/")
    assert "승인된 현행 문서" in page.get_by_test_id("clause-documents").inner_text()
    shots(page, "iso-clause-ko")
    page.goto("/iso/evidence-packs/")
    assert "내려받기" in page.get_by_test_id("pack-list").inner_text()
    shots(page, "iso-packs-ko")
