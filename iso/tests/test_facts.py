"""Readiness from the database: red on a fresh installation, amber then green as the records,
the document and the audit arrive; a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import evidence
from iso import facts
from iso.tests.conftest import approved_document, make_changes

pytestmark = pytest.mark.django_db


def test_fresh_installation_is_all_red(audited):
    results = facts.readiness_now()
    assert {r.light for r in results.values()} == {"red"}


def test_change_management_moves_from_red_to_amber_to_green(agent, manager, audited):
    assert facts.readiness_now()["8.5.1"].light == "red"
    make_changes(agent, 2)
    result = facts.readiness_now()["8.5.1"]
    assert result.light == "amber"
    assert "No current approved document (policy, plan or procedure) names the clause." in result.reasons
    approved_document(manager, ["8.5.1"])
    audited.add("8.5.1")
    result = facts.readiness_now()["8.5.1"]
    assert result.light == "green", result.reasons
    # its heading waits for the other sub-clauses
    assert facts.readiness_now()["8.5"].light == "red"


def test_a_document_past_its_review_date_does_not_count(manager, audited):
    import datetime as dt

    from django.utils import timezone

    approved_document(manager, ["5.2"], review_at=timezone.localdate() - dt.timedelta(days=1))
    audited.add("5.2")
    assert facts.readiness_now()["5.2"].light == "red"
    approved_document(manager, ["5.2"], number="DOC0000002")
    assert facts.readiness_now()["5.2"].light == "green"


def test_existing_apps_register_their_evidence():
    registered = {(s.clause_id, s.model_label) for s in evidence.sources()}
    for row in [("8.2.6", "cmdb.ConfigurationItem"), ("8.2.6", "cmdb.Relationship"), ("8.3.2", "surveys.Survey"),
                ("8.3.2", "voc.Voc"), ("8.3.3", "sla.SLADefinition"), ("8.3.3", "reports.ServiceReport"),
                ("8.5.1", "changes.Change"), ("8.5.3", "releases.Release"), ("8.6.1", "incidents.Incident"),
                ("8.6.2", "fulfilment.Request"), ("8.6.3", "problems.Problem"), ("9.1", "monitoring.Alert"),
                ("9.1", "dashboards.DashboardSnapshot"), ("9.4", "reports.ServiceReport"),
                ("10.1", "improvements.Improvement"), ("10.2", "improvements.Improvement"),
                ("7.6", "knowledge.Article"), ("8.2.4", "catalog.CatalogItem")]:
        assert row in registered


def test_kpis_run_on_an_empty_database():
    import datetime as dt

    from django.utils import timezone

    end = timezone.now()
    start = end - dt.timedelta(days=30)
    for source in evidence.sources():
        if source.kpi:
            rows = source.kpi(start, end)
            assert rows and all({"name", "value", "unit", "target"} <= set(row) for row in rows)


def test_gathering_is_a_constant_number_of_queries_whatever_the_volume(agent, audited):
    with CaptureQueriesContext(connection) as empty:
        facts.gather()
    make_changes(agent, 3)
    with CaptureQueriesContext(connection) as full:
        facts.gather()
    # The sources' EXISTS in one statement, the documents of every clause, the open major
    # nonconformities (assurance); the audited clauses are patched here.
    assert len(empty) == len(full) == 3
