"""Every write to the CMDB leaves an audit row naming who did it: delete (API and admin),
imports (the job and the CIs it writes), and admin edits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cmdb.models import ConfigurationItem, ImportJob
from cmdb.tests.factories import ci_class, make_ci, relate
from core.choices import AuditAction, Channel
from core.tests.audit_helpers import trail

pytestmark = pytest.mark.django_db


def test_deleting_a_ci_through_the_api_is_audited_with_the_admin_and_its_last_values(api_as, admin_user):
    # given: a CI another CI depends on
    db = make_ci("payroll-db", "database")
    app = make_ci("payroll-web", "application")
    relate(app, db)
    # when
    response = api_as(admin_user).delete(f"/api/v1/cmdb/cis/{db.pk}/")
    # then: gone, and the trail says who removed what
    assert response.status_code == 204
    [deleted] = trail(None, model=ConfigurationItem, pk=db.pk)
    assert (deleted.action, deleted.actor, deleted.channel) == (AuditAction.DELETED, admin_user, Channel.API)
    assert deleted.old_value["name"] == "payroll-db"
    # and the neighbour's history keeps the link it lost
    unlinked = [e for e in trail(app) if e.action == AuditAction.UNLINKED]
    assert [(e.actor, e.old_value["target"]) for e in unlinked] == [(admin_user, db.pk)]


def test_a_neighbour_history_names_the_deleted_ci(client, admin_user):
    from cmdb import services

    db = make_ci("payroll-db", "database")
    app = make_ci("payroll-web", "application")
    relate(app, db)
    services.delete_ci(db, actor=admin_user, channel=Channel.WEB)
    client.force_login(admin_user)
    page = client.get(reverse("cmdb:ci_detail", args=[app.pk])).content.decode()
    assert "payroll-web depends on payroll-db" in page


def test_a_ci_still_named_by_a_ticket_is_refused_and_nothing_is_audited(api_as, admin_user, agent):
    from incidents.services import open_incident

    ci = make_ci("mail-01")
    open_incident(actor=agent, channel=Channel.WEB, title="Mail down", caller=agent, configuration_item=ci)
    response = api_as(admin_user).delete(f"/api/v1/cmdb/cis/{ci.pk}/")
    assert response.status_code == 409
    assert ConfigurationItem.objects.filter(pk=ci.pk).exists()
    assert not [e for e in trail(ci) if e.action == AuditAction.DELETED]


def test_an_import_is_audited_with_the_uploader_for_the_job_and_every_ci_it_creates(client, agent):
    client.force_login(agent)
    upload = SimpleUploadedFile("cis.csv", b"ci_class,name\nserver,esx-1\n", content_type="text/csv")
    client.post(reverse("cmdb:import"), {"kind": "cis", "file": upload, "authorised_by": "CHG0001001"})
    job = ImportJob.objects.get()
    [created] = trail(job)
    assert (created.action, created.actor, created.new_value["filename"]) == (AuditAction.CREATED, agent, "cis.csv")
    assert created.context == {"change": "CHG0001001"}
    ci = ConfigurationItem.objects.get(name="esx-1")
    assert [(e.action, e.actor, e.context.get("change")) for e in trail(ci)] == [
        (AuditAction.CREATED, agent, "CHG0001001")]


def test_running_a_previewed_import_is_a_new_audited_job(client, agent):
    client.force_login(agent)
    upload = SimpleUploadedFile("cis.csv", b"ci_class,name\nserver,esx-1\n", content_type="text/csv")
    client.post(reverse("cmdb:import"), {"kind": "cis", "file": upload, "dry_run": "on"})
    preview = ImportJob.objects.get()
    client.post(reverse("cmdb:import_job", args=[preview.pk]))
    run = ImportJob.objects.exclude(pk=preview.pk).get()
    assert [(e.actor, e.new_value["dry_run"]) for e in trail(run)] == [(agent, False)]
    assert [(e.actor, e.new_value["dry_run"]) for e in trail(preview)] == [(agent, True)]


def test_admin_edits_and_deletes_of_a_ci_go_through_the_services(client, admin_user):
    client.force_login(admin_user)
    ci = make_ci("esx-9", criticality=3)
    data = {"name": "esx-9", "ci_class": ci_class("server").pk, "status": ci.status, "environment": "production",
            "criticality": 1, "description": "", "location": "", "vendor": "", "tags": "[]", "attributes": "{}",
            "external_id": "", "outgoing-TOTAL_FORMS": "0", "outgoing-INITIAL_FORMS": "0"}
    response = client.post(f"/admin/cmdb/configurationitem/{ci.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    [updated] = trail(ci)
    assert (updated.action, updated.field, updated.old_value, updated.new_value, updated.actor) == (
        AuditAction.UPDATED, "criticality", 3, 1, admin_user)
    client.post(f"/admin/cmdb/configurationitem/{ci.pk}/delete/", {"post": "yes"})
    assert not ConfigurationItem.objects.filter(pk=ci.pk).exists()
    assert trail(None, model=ConfigurationItem, pk=ci.pk)[-1].action == AuditAction.DELETED


def test_admin_creates_a_ci_through_the_service(client, admin_user):
    client.force_login(admin_user)
    data = {"name": "esx-new", "ci_class": ci_class("server").pk, "status": "in_use", "environment": "production",
            "criticality": 2, "description": "", "location": "", "vendor": "", "tags": "[]", "attributes": "{}",
            "external_id": "", "outgoing-TOTAL_FORMS": "0", "outgoing-INITIAL_FORMS": "0"}
    response = client.post("/admin/cmdb/configurationitem/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    ci = ConfigurationItem.objects.get(name="esx-new")
    assert [(e.action, e.actor, e.new_value["criticality"]) for e in trail(ci)] == [
        (AuditAction.CREATED, admin_user, 2)]
