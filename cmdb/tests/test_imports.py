"""CSV/JSON import and export: dry run, per-row errors, upsert, all-or-nothing."""

import json
from pathlib import Path

import pytest

from cmdb import imports
from cmdb.models import ConfigurationItem, ImportJob, Relationship
from cmdb.tests.factories import make_ci
from core.models import AuditEntry

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"


def run(kind, text, fmt="csv", user=None, **options):
    job = ImportJob.objects.create(kind=kind, format=fmt, payload=text, created_by=user, filename=f"x.{fmt}",
                                   **options)
    return imports.run_job(job)


def test_dry_run_previews_and_writes_nothing(agent, team):
    # when
    job = run("cis", (FILES / "cis.csv").read_text(), user=agent, dry_run=True)
    # then
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count, job.errors) == (3, 0, [])
    assert [p["action"] for p in job.preview] == ["create", "create", "create"]
    assert job.preview[0] == {"row": 2, "action": "create", "label": "server esx-01 (production)"}
    assert not ConfigurationItem.objects.exists()


def test_import_creates_then_is_idempotent(agent, team):
    text = (FILES / "cis.csv").read_text()
    job = run("cis", text, user=agent)
    assert (job.status, job.created_count) == ("done", 3)
    host = ConfigurationItem.objects.get(name="esx-01")
    assert (host.external_id, host.owner_group, host.tags, host.criticality) == ("srv-001", team, ["pci", "tier1"], 2)
    assert host.attributes == {"os": "RHEL 9", "cpu_count": 16}
    assert AuditEntry.objects.for_object(host).get().actor == agent
    # when: the same file again
    again = run("cis", text, user=agent)
    # then
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert ConfigurationItem.objects.count() == 3


def test_upsert_by_natural_key_and_by_external_id(agent):
    existing = make_ci("esx-01", "server", attributes={"cpu_count": 4})
    other = make_ci("old-name", "server", external_id="srv-777")
    text = ("ci_class,name,environment,external_id,attr.cpu_count\n"
            "server,esx-01,production,,8\n"
            "server,new-name,production,srv-777,\n")
    job = run("cis", text, user=agent)
    assert (job.created_count, job.updated_count) == (0, 2)
    existing.refresh_from_db()
    other.refresh_from_db()
    assert (existing.attributes, existing.version) == ({"cpu_count": 8}, 2)
    assert (other.name, other.version) == ("new-name", 2)


def test_bad_rows_are_reported_with_row_numbers_and_nothing_is_written(agent):
    job = run("cis", (FILES / "cis_bad.csv").read_text(), user=agent)
    assert job.status == ImportJob.Status.FAILED
    errors = [(e["row"], e["field"]) for e in job.errors]
    assert errors == [(3, "attributes"), (4, "ci_class"), (5, "environment"), (6, "name")]
    assert job.errors[0]["message"] == "attributes.cpu_count: 'lots' is not of type 'integer'"
    assert job.errors[3]["message"] == "Same CI as row 2."
    assert not ConfigurationItem.objects.exists()


def test_skip_bad_rows_imports_the_good_ones(agent):
    job = run("cis", (FILES / "cis_bad.csv").read_text(), user=agent, skip_bad_rows=True)
    assert (job.status, job.created_count, job.skipped_count) == ("done", 1, 4)
    assert list(ConfigurationItem.objects.values_list("name", flat=True)) == ["esx-01"]


def test_json_import_and_malformed_files(agent):
    data = [{"ci_class": "application", "name": "crm-web", "tags": ["crm"], "attributes": {"app_version": "2.1"}},
            "not an object"]
    job = run("cis", json.dumps(data), fmt="json", user=agent, skip_bad_rows=True)
    assert (job.created_count, [(e["row"], e["field"]) for e in job.errors]) == (1, [(2, "")])
    broken = run("cis", "{not json", fmt="json", user=agent)
    assert broken.status == "failed" and broken.message.startswith("Not valid JSON")


def test_relationship_import_by_natural_key_and_external_id(agent):
    app, vm = make_ci("crm-web", "application"), make_ci("vm-1", "virtual_machine", external_id="vm-ext-1")
    text = ("source_class,source_name,source_environment,source_external_id,type,target_class,target_name,"
            "target_environment,target_external_id\n"
            "application,crm-web,production,,runs_on,,,,vm-ext-1\n"
            "application,crm-web,production,,runs_on,virtual_machine,vm-1,production,\n"
            "application,nope,production,,runs_on,,,,vm-ext-1\n"
            "application,crm-web,production,,likes,,,,vm-ext-1\n")
    job = run("relationships", text, user=agent)
    assert job.status == "failed"
    assert [(e["row"], e["field"]) for e in job.errors] == [(3, "target"), (4, "source"), (5, "type")]
    assert not Relationship.objects.exists()
    job = run("relationships", text, user=agent, skip_bad_rows=True)
    assert (job.created_count, job.skipped_count) == (1, 3)
    assert Relationship.objects.get().source == app


def test_export_reimports_unchanged(agent, team):
    run("cis", (FILES / "cis.csv").read_text(), user=agent)
    csv_text = "".join(imports.csv_lines(imports.ci_records(ConfigurationItem.objects.all()), imports.CI_COLUMNS))
    json_text = "".join(imports.json_chunks(imports.ci_records(ConfigurationItem.objects.all())))
    for text, fmt in ((csv_text.lstrip("\ufeff"), "csv"), (json_text, "json")):
        job = run("cis", text, fmt=fmt, user=agent)
        assert (job.status, job.unchanged_count, job.created_count, job.updated_count) == ("done", 3, 0, 0)


def test_progress_is_recorded_per_chunk(agent, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 2)
    seen = []
    rows = imports.parse("ci_class,name\n" + "".join(f"server,s{i}\n" for i in range(5)), "csv")
    imports.plan_import("cis", rows, progress=seen.append)
    assert seen == [2, 4, 5]


def test_large_import_runs_as_a_celery_task_after_commit(desk_client, monkeypatch, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    # given: anything above 1 row counts as large
    monkeypatch.setattr(imports, "BACKGROUND_THRESHOLD", 1)
    upload = SimpleUploadedFile("cis.csv", b"ci_class,name\nserver,a\nserver,b\nserver,c\n")
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        desk_client.post(reverse("cmdb:import"), {"kind": "cis", "file": upload})
    job = ImportJob.objects.get()
    # then: queued, not yet run; the page polls
    assert (job.status, len(callbacks)) == ("pending", 1)
    assert 'hx-trigger="every 1s"' in desk_client.get(reverse("cmdb:import_job", args=[job.pk])).content.decode()
    callbacks[0]()  # the eager worker runs it
    job.refresh_from_db()
    assert (job.status, job.created_count, job.processed_rows, job.total_rows) == ("done", 3, 3, 3)


def test_the_task_is_safe_to_run_twice(agent):
    from cmdb.tasks import run_import

    job = ImportJob.objects.create(kind="cis", format="csv", payload="ci_class,name\nserver,a\n", created_by=agent)
    run_import(job.pk)
    run_import(job.pk)
    assert ConfigurationItem.objects.count() == 1


def test_export_of_formula_like_names_reimports_unchanged(agent, team):
    # given: names the export must quote (core.exports), and one already starting with a quote
    make_ci("=cmd", location="'=kept")
    make_ci("-dash", location="@home")
    before = sorted(ConfigurationItem.objects.values_list("name", "location"))
    assert before == [("-dash", "@home"), ("=cmd", "'=kept")]
    # when: exported and imported again
    csv_text = "".join(imports.csv_lines(imports.ci_records(ConfigurationItem.objects.all()), imports.CI_COLUMNS))
    assert "'=cmd" in csv_text and "''=kept" in csv_text
    job = run("cis", csv_text.lstrip("\ufeff"), user=agent)
    # then: nothing changed
    assert (job.status, job.unchanged_count) == ("done", 2)
    assert sorted(ConfigurationItem.objects.values_list("name", "location")) == before
