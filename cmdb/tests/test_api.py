"""REST contract of cmdb/classes/, cmdb/cis/, cmdb/relationships/ and the impact endpoint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cmdb.models import ConfigurationItem, Relationship
from cmdb.tests.factories import make_ci
from core.models import AuditEntry

pytestmark = pytest.mark.django_db
CIS = "/api/v1/cmdb/cis/"


@pytest.mark.parametrize("url", [CIS, "/api/v1/cmdb/classes/", "/api/v1/cmdb/relationships/", f"{CIS}1/impact/"])
def test_anonymous_gets_401(api_client, url):
    assert api_client.get(url).status_code == 401


def test_classes_list_slug_and_schema(agent_api):
    response = agent_api.get("/api/v1/cmdb/classes/?slug=server")
    assert response.status_code == 200
    [server] = response.json()["results"]
    assert server["slug"] == "server"
    assert server["attribute_schema"]["properties"]["cpu_count"]["type"] == "integer"


def test_create_ci_with_class_slug(agent_api, team):
    response = agent_api.post(CIS, {"name": "esx-1", "ci_class": "server", "criticality": 2, "owner_group": team.pk,
                                    "attributes": {"cpu_count": 8}, "tags": ["pci"]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["ci_class"], body["status"], body["environment"], body["version"]) == (
        "server", "in_use", "production", 1)
    assert AuditEntry.objects.filter(channel="api").count() == 1


@pytest.mark.parametrize("payload, field", [
    ({"name": "x", "ci_class": "toaster"}, "ci_class"),
    ({"name": "x", "ci_class": "server", "criticality": 9}, "criticality"),
    ({"name": "x", "ci_class": "server", "status": "broken"}, "status"),
    ({"name": "x", "ci_class": "server", "attributes": {"cpu_count": "x"}}, "attributes"),
    ({"name": "x", "ci_class": "server", "attributes": [1]}, "attributes"),
    ({"ci_class": "server"}, "name"),
    ({"name": "x", "ci_class": "server", "owner_group": 999999}, "owner_group"),
])
def test_bad_input_is_400_naming_the_field(agent_api, payload, field):
    response = agent_api.post(CIS, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ConfigurationItem.objects.exists()


def test_attribute_error_message_names_the_json_path(agent_api):
    response = agent_api.post(CIS, {"name": "x", "ci_class": "server", "attributes": {"cpu_count": "x"}},
                              format="json")
    assert response.json() == {"attributes": ["attributes.cpu_count: 'x' is not of type 'integer'"]}


def test_duplicate_natural_key_is_400_on_name(agent_api):
    make_ci("esx-1", "server")
    response = agent_api.post(CIS, {"name": "esx-1", "ci_class": "server"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["name"])


def test_patch_with_current_version_updates(agent_api):
    ci = make_ci("esx-1", "server")
    response = agent_api.patch(f"{CIS}{ci.pk}/", {"status": "maintenance", "version": 1}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("maintenance", 2)


def test_patch_with_stale_version_is_409_and_changes_nothing(agent_api):
    ci = make_ci("esx-1", "server")
    response = agent_api.patch(f"{CIS}{ci.pk}/", {"status": "retired", "version": 5}, format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == 1
    ci.refresh_from_db()
    assert (ci.status, ci.version) == ("in_use", 1)
    assert not AuditEntry.objects.exists()


def test_end_user_sees_only_business_services_and_cannot_write(end_user_api):
    service, host = make_ci("Payroll", "business_service"), make_ci("esx-1", "server")
    listed = end_user_api.get(CIS).json()["results"]
    assert [c["id"] for c in listed] == [service.pk]
    assert end_user_api.get(f"{CIS}{host.pk}/").status_code == 404
    assert end_user_api.patch(f"{CIS}{service.pk}/", {"status": "retired"}, format="json").status_code == 403
    assert end_user_api.get("/api/v1/cmdb/relationships/").json()["results"] == []


def test_unknown_ci_is_404(agent_api):
    assert agent_api.get(f"{CIS}999999/").status_code == 404
    assert agent_api.get(f"{CIS}999999/impact/").status_code == 404


def test_filters_search_and_ordering(agent_api, team):
    make_ci("b-esx", "server", criticality=1, owner_group=team)
    make_ci("a-db", "database", environment="test", attributes={"engine": "oracle"})
    make_ci("c-app", "application", status="retired")

    def names(query):
        response = agent_api.get(f"{CIS}?{query}")
        assert response.status_code == 200, response.json()
        return [c["name"] for c in response.json()["results"]]

    assert names("ci_class=server") == ["b-esx"]
    assert names("environment=test") == ["a-db"]
    assert names("status=retired") == ["c-app"]
    assert names("criticality=1") == ["b-esx"]
    assert names(f"owner_group={team.pk}") == ["b-esx"]
    assert names("search=esx") == ["b-esx"]
    assert names("ordering=-name") == ["c-app", "b-esx", "a-db"]


@pytest.mark.parametrize("query", ["criticality=abc", "status=nope", "ci_class=toaster", "owner_group=x"])
def test_bad_filters_are_400(agent_api, query):
    assert agent_api.get(f"{CIS}?{query}").status_code == 400


def test_impact_endpoint_contract(agent_api, estate):
    response = agent_api.get(f"{CIS}{estate['host'].pk}/impact/?direction=downstream&depth=5")
    assert response.status_code == 200
    assert response.json() == {"results": [
        {"id": estate["vm"].pk, "name": "vm-payroll-01", "ci_class": "virtual_machine", "depth": 1},
        {"id": estate["db"].pk, "name": "payroll-db", "ci_class": "database", "depth": 2},
        {"id": estate["app"].pk, "name": "payroll-web", "ci_class": "application", "depth": 2},
        {"id": estate["service"].pk, "name": "Payroll", "ci_class": "business_service", "depth": 3},
    ]}
    upstream = agent_api.get(f"{CIS}{estate['app'].pk}/impact/?direction=upstream&depth=1").json()["results"]
    assert [r["name"] for r in upstream] == ["payroll-db", "vm-payroll-01"]


def test_impact_endpoint_skips_peer_links_unless_asked(agent_api, estate):
    peer = make_ci("sw-core-02", "network_device")
    Relationship.objects.create(source=estate["switch"], target=peer, type="connects_to")
    assert agent_api.get(f"{CIS}{peer.pk}/impact/").json() == {"results": []}
    asked = agent_api.get(f"{CIS}{peer.pk}/impact/?type=connects_to").json()["results"]
    assert [r["name"] for r in asked] == ["sw-core-01"]


@pytest.mark.parametrize("query, field", [("direction=sideways", "direction"), ("depth=abc", "depth"),
                                          ("depth=0", "depth"), ("depth=21", "depth")])
def test_impact_bad_parameters_are_400(agent_api, estate, query, field):
    response = agent_api.get(f"{CIS}{estate['host'].pk}/impact/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_relationship_create_and_refusals(agent_api):
    app, vm = make_ci("app", "application"), make_ci("vm", "virtual_machine")
    url = "/api/v1/cmdb/relationships/"
    created = agent_api.post(url, {"source": app.pk, "target": vm.pk, "type": "runs_on"}, format="json")
    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("source", "target", "type")} == {
        "source": app.pk, "target": vm.pk, "type": "runs_on"}
    duplicate = agent_api.post(url, {"source": app.pk, "target": vm.pk, "type": "runs_on"}, format="json")
    assert (duplicate.status_code, list(duplicate.json())) == (400, ["target"])
    loop = agent_api.post(url, {"source": app.pk, "target": app.pk, "type": "runs_on"}, format="json")
    assert (loop.status_code, list(loop.json())) == (400, ["target"])
    bad_type = agent_api.post(url, {"source": app.pk, "target": vm.pk, "type": "likes"}, format="json")
    assert (bad_type.status_code, list(bad_type.json())) == (400, ["type"])
    assert agent_api.get(f"{url}?source={app.pk}").json()["count"] == 1
    assert agent_api.delete(f"{url}{created.json()['id']}/").status_code == 204
    assert not Relationship.objects.exists()


def test_malformed_body_is_400(agent_api):
    response = agent_api.generic("POST", CIS, "{nope", content_type="application/json")
    assert response.status_code == 400


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_is_constant(agent_api, team):
    for i in range(10):
        make_ci(f"s{i:03d}", "server", owner_group=team)
    _list_queries(agent_api, CIS)  # warm up: the token's first use is recorded once
    ten = _list_queries(agent_api, f"{CIS}?page_size=200")
    for i in range(10, 100):
        make_ci(f"s{i:03d}", "server", owner_group=team)
    hundred = _list_queries(agent_api, f"{CIS}?page_size=200")
    assert ten == hundred


def test_end_user_impact_lists_only_what_they_may_see(end_user_api, estate):
    # given: an end user sees business services only
    response = end_user_api.get(f"{CIS}{estate['service'].pk}/impact/?direction=upstream&depth=5")
    # then: the infrastructure behind the service stays hidden
    assert (response.status_code, response.json()) == (200, {"results": []})
    assert end_user_api.get(f"{CIS}{estate['host'].pk}/impact/").status_code == 404


def test_patch_without_version_is_400_and_changes_nothing(agent_api):
    # given
    ci = make_ci("esx-1", "server")
    # when
    response = agent_api.patch(f"{CIS}{ci.pk}/", {"status": "retired"}, format="json")
    # then
    assert response.status_code == 400
    assert "version" in response.json()
    ci.refresh_from_db()
    assert (ci.status, ci.version) == ("in_use", 1)
