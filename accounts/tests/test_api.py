"""The API skeleton: users/me/, groups/, token auth, pagination, 4xx instead of 500."""

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from accounts.models import ApiToken, Team
from accounts.roles import Role


@pytest.mark.django_db
def test_me_answers_the_contract_fields(agent_api, agent):
    # when
    response = agent_api.get("/api/v1/users/me/")
    # then
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("id", "username", "display_name", "email", "roles")} == {
        "id": agent.pk, "username": "agent", "display_name": "agent", "email": "agent@example.com",
        "roles": ["agent"],
    }


@pytest.mark.django_db
def test_me_patch_changes_own_profile_but_not_roles(end_user_api, end_user):
    response = end_user_api.patch("/api/v1/users/me/", {"display_name": "Jang Min-seo", "roles": ["admin"]})
    assert response.status_code == 200
    end_user.refresh_from_db()
    end_user._role_names = None
    assert (end_user.display_name, end_user.roles) == ("Jang Min-seo", ["end_user"])


@pytest.mark.django_db
def test_me_by_session(client, manager):
    client.force_login(manager)
    assert client.get("/api/v1/users/me/").json()["roles"] == ["manager"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/users/me/", "/api/v1/groups/"])
def test_anonymous_gets_401_with_a_token_challenge(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Token nonsense", "Token ", "Token a b", "Bearer abc", "Token \u00e9\u00e9"])
def test_bad_credentials_get_401(api_client, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    assert api_client.get("/api/v1/users/me/").status_code == 401


@pytest.mark.django_db
def test_revoked_token_gets_401(api_client, agent):
    # given
    token, key = ApiToken.issue(agent)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/users/me/").status_code == 200
    # when
    token.revoked_at = token.created_at
    token.save()
    # then
    response = api_client.get("/api/v1/users/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or revoked token."}


@pytest.mark.django_db
def test_token_of_deactivated_user_gets_401(api_client, agent):
    _token, key = ApiToken.issue(agent)
    agent.is_active = False
    agent.save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/users/me/").status_code == 401


@pytest.mark.django_db
def test_token_use_is_recorded(agent_api, agent):
    agent_api.get("/api/v1/users/me/")
    assert ApiToken.objects.get(user=agent).last_used_at is not None


@pytest.mark.django_db
def test_groups_list_has_manager_and_members(agent_api, team, agent, manager):
    # when
    body = agent_api.get("/api/v1/groups/").json()
    # then
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    [group] = body["results"]
    assert group["id"] == team.pk and group["name"] == "Service Desk"
    assert group["manager"] == {"id": manager.pk, "username": "manager", "display_name": "manager"}
    assert sorted(member["username"] for member in group["members"]) == ["agent", "manager"]


@pytest.mark.django_db
def test_group_detail(agent_api, team):
    assert agent_api.get(f"/api/v1/groups/{team.pk}/").json()["name"] == "Service Desk"
    assert agent_api.get("/api/v1/groups/999999/").status_code == 404
    assert agent_api.get("/api/v1/groups/abc/").status_code == 404


@pytest.mark.django_db
def test_groups_are_read_only(agent_api):
    assert agent_api.post("/api/v1/groups/", {"name": "x"}).status_code == 405


@pytest.mark.django_db
def test_groups_filters(agent_api, team, agent, make_user):
    # given
    other = Team.objects.create(name="Network Operations")
    outsider = make_user(Role.AGENT, username="netops", teams=["Network Operations"])
    # then
    assert [g["name"] for g in agent_api.get("/api/v1/groups/?name=Network Operations").json()["results"]] == [
        "Network Operations"]
    assert [g["id"] for g in agent_api.get(f"/api/v1/groups/?members={outsider.pk}").json()["results"]] == [other.pk]
    assert [g["id"] for g in agent_api.get("/api/v1/groups/?search=network").json()["results"]] == [other.pk]
    assert [g["name"] for g in agent_api.get("/api/v1/groups/?ordering=-name").json()["results"]] == [
        "Service Desk", "Network Operations"]


@pytest.fixture
def many_groups(db):
    Team.objects.bulk_create([Team(name=f"Team {index:03d}") for index in range(230)])


@pytest.mark.django_db
def test_pagination_shape_and_links(agent_api, many_groups):
    body = agent_api.get("/api/v1/groups/?page=2&page_size=10").json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 231  # and the agent's own team
    assert len(body["results"]) == 10
    assert body["next"].endswith("/api/v1/groups/?page=3&page_size=10")
    assert body["previous"].endswith("/api/v1/groups/?page_size=10")


@pytest.mark.django_db
def test_default_page_size_is_25_and_max_is_200(agent_api, many_groups):
    assert len(agent_api.get("/api/v1/groups/").json()["results"]) == 25
    assert len(agent_api.get("/api/v1/groups/?page_size=1000").json()["results"]) == 200


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["page=999", "page=0", "page=-1", "page=abc", "page=1.5", "page=%00"])
def test_invalid_page_is_404(agent_api, team, query):
    response = agent_api.get(f"/api/v1/groups/?{query}")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["page_size=abc", "page_size=-5", "page_size=0", "ordering=nonsense"])
def test_odd_paging_and_ordering_fall_back_to_defaults(agent_api, team, query):
    assert agent_api.get(f"/api/v1/groups/?{query}").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["manager=abc", "members=abc", "members=999999", "manager=1e9999",
                                   "manager=%00"])
def test_malformed_filters_are_400(agent_api, team, query):
    response = agent_api.get(f"/api/v1/groups/?{query}")
    assert response.status_code == 400
    assert set(response.json()) <= {"manager", "members", "detail"}


@pytest.mark.django_db
def test_groups_list_query_count_does_not_grow(agent_api, make_user):
    def count_queries():
        agent_api.get("/api/v1/users/me/")  # the token's first use writes last_used_at once
        with CaptureQueriesContext(connection) as queries:
            assert agent_api.get("/api/v1/groups/?page_size=200").status_code == 200
        return len(queries)

    # given
    members = [make_user(Role.AGENT, username=f"member{index}") for index in range(3)]
    for index in range(10):
        team = Team.objects.create(name=f"small {index}", manager=members[0])
        team.members.set(members)
    small = count_queries()
    for index in range(90):
        team = Team.objects.create(name=f"large {index}", manager=members[1])
        team.members.set(members)
    # then
    assert count_queries() == small


@pytest.mark.django_db
def test_schema_lists_the_foundation_endpoints(agent_api):
    response = agent_api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/users/me/" in paths and "/api/v1/groups/" in paths


@pytest.mark.django_db
def test_docs_page_uses_only_local_files(client, agent):
    # given
    import re

    from django.contrib.staticfiles import finders

    client.force_login(agent)
    # when
    page = client.get("/api/docs/").content.decode()
    # then
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert urls, page
    assert not [url for url in urls if url.startswith(("http:", "https:", "//"))]
    static = [url for url in urls if url.startswith("/static/")]
    assert any("swagger-ui" in url for url in static)
    for url in static:
        assert finders.find(url.removeprefix("/static/")), url
    assert not re.search(r"https?://(?!(testserver|localhost|127\.0\.0\.1)[:/])", page)
