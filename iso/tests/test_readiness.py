"""The readiness rules, without a database."""

from core import clauses
from iso import readiness
from iso.readiness import AMBER, GREEN, RED, Facts


def _all_checks(clause_id="8.5.1", **overrides):
    values = {"documents": 1, "sources": 1, "recent_records": 1, "kpi_sources": 0, "kpi_records": 0,
              "audited": True, "major_nc": False, **overrides}
    return Facts(clause_id, **values)


def test_a_fresh_installation_is_all_red():
    results = readiness.assess({})
    assert {r.light for r in results.values()} == {RED}
    assert set(results) == {c.id for c in clauses.CLAUSES}
    assert "No evidence yet." in results["8.6.1"].reasons


def test_records_without_document_or_audit_are_amber_with_the_reasons():
    result = readiness.evaluate(_all_checks(documents=0, audited=False))
    assert result.light == AMBER
    assert any("document" in r for r in result.reasons)
    assert any("audit" in r for r in result.reasons)


def test_every_check_passing_is_green():
    result = readiness.evaluate(_all_checks())
    assert result.light == GREEN and result.reasons == ["All checks pass."]


def test_an_open_major_nonconformity_is_red_whatever_else():
    assert readiness.evaluate(_all_checks(major_nc=True)).light == RED


def test_kpis_count_where_the_clause_has_them():
    assert readiness.evaluate(_all_checks(kpi_sources=1, kpi_records=0)).light == AMBER
    assert readiness.evaluate(_all_checks(kpi_sources=1, kpi_records=1)).light == GREEN


def test_management_clauses_need_their_document_and_an_audit():
    assert readiness.requires_document("5.2") and readiness.requires_document("8.6.1")
    assert not readiness.requires_document("9.2") and not readiness.requires_document("8")
    # 4.1 has no record type: a document alone evidences it
    assert readiness.evaluate(Facts("4.1", documents=1, audited=True)).light == GREEN
    assert readiness.evaluate(Facts("4.1", documents=0, audited=True)).light == RED


def test_a_heading_shows_its_worst_sub_clause():
    facts = {c: _all_checks(c) for c in ("8.5.1", "8.5.2", "8.5.3")}
    assert readiness.assess(facts)["8.5"].light == GREEN
    facts["8.5.2"] = _all_checks("8.5.2", audited=False)
    result = readiness.assess(facts)["8.5"]
    assert result.light == AMBER and "2 of 3 sub-clauses are green." in result.reasons
