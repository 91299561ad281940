"""Release use cases and the `releases/` API: readiness, deployments, rollback, contract."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from changes.choices import ChangeState
from changes.models import Change
from changes.tests.factories import make_change, schedule
from core.choices import Channel
from core.exceptions import DomainError, InvalidTransition, StaleVersion
from core.models import AuditEntry
from releases import services
from releases.choices import DeploymentState as D, Environment as E, ReleaseState as S
from releases.models import Release

pytestmark = pytest.mark.django_db
WEB = Channel.WEB
URL = "/api/v1/releases/"


def make_release(actor, changes=(), **fields):
    data = {"title": "Payroll 2026.12", "version_label": "2026.12.0", **fields}
    return services.create_release(actor=actor, channel=WEB, changes=changes, **data)


def to_deploy(release, actor):
    for target in (S.BUILD, S.TEST, S.DEPLOY):
        release = services.transition_release(release, actor=actor, channel=WEB, target=target)
    return release


@pytest.fixture
def approved_change(agent, manager):
    return schedule(make_change(agent), agent, manager)


def test_production_deploy_refused_until_ready(agent, approved_change):
    unapproved = make_change(agent)
    release = to_deploy(make_release(agent, [approved_change, unapproved]), agent)
    # test environments need no readiness
    services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.TEST, target=D.IN_PROGRESS)
    with pytest.raises(DomainError) as info:
        services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.PRODUCTION,
                                      target=D.IN_PROGRESS)
    assert info.value.code == "not_ready"
    assert unapproved.number in str(info.value.message)
    assert not release.deployments.filter(environment=E.PRODUCTION).exists()


def test_ready_release_deploys_and_closes(agent, approved_change):
    release = make_release(agent, [approved_change], test_summary="All 412 tests passed", tests_passed=True)
    release = to_deploy(release, agent)
    with pytest.raises(DomainError):
        services.transition_release(release, actor=agent, channel=WEB, target=S.CLOSED)
    deployment = services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.PRODUCTION,
                                               target=D.IN_PROGRESS)
    assert deployment.started_at is not None
    services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.PRODUCTION, target=D.SUCCEEDED)
    release = services.transition_release(Release.objects.get(pk=release.pk), actor=agent, channel=WEB,
                                          target=S.CLOSED)
    assert release.state == S.CLOSED
    assert AuditEntry.objects.for_object(release).filter(field="deployment").count() == 2


def test_rollback_recorded(agent, approved_change):
    release = to_deploy(make_release(agent, [approved_change], test_summary="ok", tests_passed=True), agent)
    services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.PRODUCTION, target=D.IN_PROGRESS)
    services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.PRODUCTION, target=D.FAILED)
    with pytest.raises(DomainError):
        services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.PRODUCTION,
                                      target=D.ROLLED_BACK)
    services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.PRODUCTION,
                                  target=D.ROLLED_BACK, notes="Login broke for SSO users")
    release = Release.objects.get(pk=release.pk)
    assert (release.state, release.rollback_reason) == (S.ROLLED_BACK, "Login broke for SSO users")
    assert release.deployments.get().state == D.ROLLED_BACK


def test_invalid_deployment_step(agent):
    release = make_release(agent)
    with pytest.raises(DomainError):
        services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.TEST, target=D.SUCCEEDED)
    services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.TEST, target=D.IN_PROGRESS)
    services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.TEST, target=D.SUCCEEDED)
    with pytest.raises(InvalidTransition):
        services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.TEST, target=D.FAILED)


def test_stale_version(agent):
    release = make_release(agent)
    with pytest.raises(StaleVersion):
        services.update_release(release, actor=agent, channel=WEB, changes={"title": "x"},
                                expected_version=release.version + 1)


# --- API ----------------------------------------------------------------------------------

def test_api_401_and_404(api_client, end_user_api, agent):
    release = make_release(agent)
    assert api_client.get(URL).status_code == 401
    assert api_client.get(f"{URL}{release.pk}/").status_code == 401
    assert end_user_api.get(f"{URL}{release.pk}/").status_code == 404
    assert end_user_api.get(f"{URL}REL9999999/").status_code == 404


def test_api_create_read_by_number_and_patch(agent_api, agent, approved_change):
    response = agent_api.post(URL, {"title": "Payroll", "version_label": "1.0", "changes": [approved_change.pk]},
                              format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("REL")
    assert body["changes"] == [approved_change.pk]
    assert body["readiness"]["ready"] is False
    assert agent_api.get(f"{URL}{body['number']}/").json()["id"] == body["id"]
    stale = agent_api.patch(f"{URL}{body['id']}/", {"title": "x", "version": body["version"] + 1}, format="json")
    assert stale.status_code == 409
    bad = agent_api.patch(f"{URL}{body['id']}/", {"state": "deploy", "version": body["version"]}, format="json")
    assert bad.status_code == 400
    assert bad.json()["allowed"] == ["build", "closed"]
    ok = agent_api.patch(f"{URL}{body['id']}/", {"state": "build", "tests_passed": True, "test_summary": "green",
                                                 "version": body["version"]}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["state"] == "build"
    assert ok.json()["readiness"]["ready"] is True


def test_api_bad_input_400(agent_api, agent):
    assert agent_api.post(URL, {"title": "x"}, format="json").status_code == 400
    assert agent_api.post(URL, {"title": "x", "version_label": "1", "changes": [99999]},
                          format="json").status_code == 400
    release = make_release(agent)
    response = agent_api.post(f"{URL}{release.pk}/deploy/", {"environment": "moon", "state": "in_progress"},
                              format="json")
    assert response.status_code == 400
    response = agent_api.post(f"{URL}{release.pk}/deploy/", {"environment": "production", "state": "in_progress"},
                              format="json")
    assert response.status_code == 400


def test_api_deploy(agent_api, agent):
    release = make_release(agent)
    response = agent_api.post(f"{URL}{release.pk}/deploy/", {"environment": "test", "state": "in_progress"},
                              format="json")
    assert response.status_code == 200
    assert [(d["environment"], d["state"]) for d in response.json()["deployments"]] == [("test", "in_progress")]


def _count(client):
    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"{URL}?page_size=200").status_code == 200
    return len(ctx.captured_queries)


def test_api_list_query_count_constant(agent_api, agent):
    changes = [make_change(agent) for _ in range(2)]
    for _ in range(2):
        release = make_release(agent, changes)
        services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.TEST, target=D.PLANNED)
    few = _count(agent_api)
    for _ in range(8):
        release = make_release(agent, changes)
        services.set_deployment_state(release, actor=agent, channel=WEB, environment=E.TEST, target=D.PLANNED)
    assert _count(agent_api) == few


def test_list_page_query_count_constant(client, agent):
    client.force_login(agent)
    changes = [make_change(agent)]
    make_release(agent, changes)
    client.get("/releases/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/releases/").status_code == 200
    few = len(ctx.captured_queries)
    for _ in range(10):
        make_release(agent, changes)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/releases/").status_code == 200
    assert len(ctx.captured_queries) == few


def test_detail_page(client, agent, approved_change):
    client.force_login(agent)
    release = make_release(agent, [approved_change])
    response = client.get(f"/releases/{release.pk}/")
    assert response.status_code == 200
    assert approved_change.number in response.content.decode()
    assert Change.objects.get(pk=approved_change.pk).state == ChangeState.SCHEDULED
