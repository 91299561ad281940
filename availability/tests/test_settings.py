"""A service's availability settings through the API and the desk form: the desk reads, managers
write, and the warning line never ends up below the target."""

from decimal import Decimal

import pytest

from availability.models import ServiceAvailability
from cmdb.tests.factories import make_ci
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _url(service):
    return f"/api/v1/availability/settings/{service.pk}/"


def test_an_agent_reads_the_defaults_of_a_service_never_set(agent_api, service):
    answer = agent_api.get(_url(service))
    assert answer.status_code == 200
    body = answer.json()
    assert (body["service"], body["calendar"], body["planned_policy"]) == (service.pk, None, "exclude")
    assert Decimal(str(body["target_percent"])) == Decimal("99.5")


def test_a_manager_changes_the_targets_and_an_agent_may_not(agent_api, manager_api, service):
    refused = agent_api.patch(_url(service), {"target_percent": "99.0"}, format="json")
    assert refused.status_code == 403 and not ServiceAvailability.objects.exists()
    answer = manager_api.patch(_url(service), {"target_percent": "99.0", "warning_percent": "99.2",
                                               "mtrs_target_minutes": 60}, format="json")
    assert answer.status_code == 200, answer.json()
    row = ServiceAvailability.objects.get(service=service)
    assert (row.target_percent, row.warning_percent, row.mtrs_target_minutes) == (Decimal("99"), Decimal("99.2"), 60)
    assert AuditEntry.objects.for_object(row).exists()


def test_one_line_alone_cannot_cross_the_other(manager_api, service):
    manager_api.patch(_url(service), {"target_percent": "99.0", "warning_percent": "99.2"}, format="json")
    answer = manager_api.patch(_url(service), {"target_percent": "99.5"}, format="json")
    assert answer.status_code == 400 and "warning_percent" in answer.json()
    assert ServiceAvailability.objects.get(service=service).target_percent == Decimal("99")


def test_a_ci_that_is_no_business_service_is_404(agent_api, manager_api, end_user_api):
    server = make_ci("db-01", "server")
    assert agent_api.get(f"/api/v1/availability/settings/{server.pk}/").status_code == 404
    assert manager_api.patch("/api/v1/availability/settings/999999/", {}, format="json").status_code == 404
    assert end_user_api.get(f"/api/v1/availability/settings/{server.pk}/").status_code == 403


def test_a_manager_sets_a_service_from_the_availability_page(client, manager, agent, service):
    client.force_login(manager)
    assert "settings-link" in client.get("/availability/").content.decode()
    form = client.get(f"/availability/settings/?service={service.pk}")
    assert form.status_code == 200 and 'data-testid="settings-form"' in form.content.decode()
    bad = client.post("/availability/settings/", {"service": service.pk, "planned_policy": "count",
                                                  "target_percent": "99.9", "warning_percent": "99.0"})
    assert bad.status_code == 400 and not ServiceAvailability.objects.exists()
    saved = client.post("/availability/settings/", {"service": service.pk, "planned_policy": "count",
                                                    "target_percent": "99.0", "warning_percent": "99.5"})
    assert saved.status_code == 302
    assert ServiceAvailability.objects.get(service=service).planned_policy == "count"
    client.force_login(agent)
    assert "settings-link" not in client.get("/availability/").content.decode()
    assert client.get("/availability/settings/").status_code == 403
