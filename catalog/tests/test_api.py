"""API v1 catalog/categories/ and catalog/items/: what each caller may read and write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Team
from catalog import selectors, services
from catalog.models import CatalogItem, Category
from catalog.tests.factories import laptop_form, make_item
from cmdb.tests.factories import make_ci
from core.choices import Channel

pytestmark = pytest.mark.django_db
ITEMS = "/api/v1/catalog/items/"
CATEGORIES = "/api/v1/catalog/categories/"


@pytest.fixture
def restricted(category, make_user):
    """An item only the Developers group may order, and an inactive one."""
    team = Team.objects.create(name="Developers")
    item = make_item("GPU server", category=category, name_ko="GPU 서버", available_to_everyone=False)
    item.groups.add(team)
    make_item("Fax machine", category=category, active=False)
    selectors.refresh_search()
    return item, team


def names(response):
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


def test_end_user_reads_what_they_may_order(end_user_api, laptop, restricted):
    item, _team = restricted
    assert names(end_user_api.get(ITEMS)) == ["Laptop"]
    assert end_user_api.get(f"{ITEMS}{item.pk}/").status_code == 404
    inactive = CatalogItem.objects.get(name="Fax machine")
    assert end_user_api.get(f"{ITEMS}{inactive.pk}/").status_code == 404
    body = end_user_api.get(f"{ITEMS}{laptop.pk}/").json()
    assert body["form"]["properties"]["model"]["enum"] == ["standard", "developer"]
    assert body["form_ui"]["fields"]["model"]["label_ko"] == "모델"
    assert body["fulfilment_plan"] is None and body["approval"] == []
    assert {"id", "name", "category", "service", "description", "active", "form", "delivery_time"} <= set(body)


def test_group_member_may_order_the_restricted_item(api_as, make_user, restricted):
    item, team = restricted
    member = make_user("end_user", username="dev")
    team.members.add(member)
    assert api_as(member).get(f"{ITEMS}{item.pk}/").status_code == 200


def test_agents_see_everything_with_an_active_filter(agent_api, laptop, restricted):
    assert names(agent_api.get(ITEMS)) == ["Fax machine", "GPU server", "Laptop"]
    assert names(agent_api.get(ITEMS, {"active": "false"})) == ["Fax machine"]
    assert names(agent_api.get(ITEMS, {"category": laptop.category_id, "active": "true"})) == ["GPU server", "Laptop"]


@pytest.mark.parametrize("text", ["노트북", "laptop", "LAPTOP", "업무용 노트북"])
def test_search_in_korean_and_english(end_user_api, laptop, restricted, text):
    selectors.refresh_search()
    assert names(end_user_api.get(ITEMS, {"search": text})) == ["Laptop"]


def test_odd_search_and_filters_never_fail(agent_api, laptop):
    for params in ({"search": "\x00"}, {"search": "!!!"}, {"category": "abc"}, {"active": "maybe"},
                   {"category": "99999999999999999999"}):
        assert agent_api.get(ITEMS, params).status_code in (200, 400), params


def test_list_query_count_is_constant(agent_api, end_user_api, category, django_assert_max_num_queries):
    for n in range(3):
        make_item(f"Item {n}", category=category)

    def count(client):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ITEMS).status_code == 200
        return len(queries)

    count(agent_api), count(end_user_api)  # the first call also reads what is cached for the process
    few = (count(agent_api), count(end_user_api))
    for n in range(3, 10):
        make_item(f"Item {n}", category=category)
    assert (count(agent_api), count(end_user_api)) == few
    assert few == (7, 6)  # token with roles, count, page, stages, organisations, groups (+ task templates)


def test_manager_creates_an_item(manager_api, category):
    schema, ui = laptop_form()
    service = make_ci("Workplace", cls="business_service")
    response = manager_api.post(ITEMS, {"name": "Laptop", "name_ko": "노트북", "category": category.pk,
                                        "service": service.pk, "form": schema, "form_ui": ui}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1 and body["form"] == schema
    assert names(manager_api.get(ITEMS, {"search": "노트북"})) == ["Laptop"]


def test_a_broken_form_answers_400_naming_the_problem(manager_api, category):
    schema, ui = laptop_form()
    schema["required"].append("colour")
    ui["fields"]["memory"]["show_if"] = {"field": "memory", "equals": 1}
    response = manager_api.post(ITEMS, {"name": "Laptop", "category": category.pk, "form": schema, "form_ui": ui},
                                format="json")
    assert response.status_code == 400
    problems = response.json()["form"]
    assert any("colour" in p for p in problems) and any("memory" in p for p in problems)
    assert not CatalogItem.objects.exists()


def test_a_server_is_not_a_business_service(manager_api, category):
    response = manager_api.post(ITEMS, {"name": "X", "category": category.pk, "service": make_ci("db-01").pk},
                                format="json")
    assert response.status_code == 400 and "service" in response.json()


def test_patch_with_a_stale_version_is_409(manager_api, laptop):
    url = f"{ITEMS}{laptop.pk}/"
    assert manager_api.patch(url, {"name": "Notebook", "version": 1}, format="json").json()["version"] == 2
    response = manager_api.patch(url, {"name": "Old", "version": 1}, format="json")
    assert response.status_code == 409 and response.json()["current_version"] == 2
    laptop.refresh_from_db()
    assert laptop.name == "Notebook"


def test_end_users_and_agents_may_not_write(end_user_api, agent_api, laptop):
    for client in (end_user_api, agent_api):
        assert client.patch(f"{ITEMS}{laptop.pk}/", {"name": "x"}, format="json").status_code == 403
        assert client.post(CATEGORIES, {"name": "x"}, format="json").status_code == 403


def test_categories_nest_one_level(manager_api, category):
    sub = manager_api.post(CATEGORIES, {"name": "Laptops", "name_ko": "노트북", "parent": category.pk},
                           format="json")
    assert sub.status_code == 201, sub.content
    deeper = manager_api.post(CATEGORIES, {"name": "Deep", "parent": sub.json()["id"]}, format="json")
    assert deeper.status_code == 400 and "parent" in deeper.json()
    stale = manager_api.patch(f"{CATEGORIES}{category.pk}/", {"name": "Devices", "version": 7}, format="json")
    assert stale.status_code == 409


def test_end_users_see_active_categories_only(end_user_api, agent_api, category):
    Category.objects.create(name="Retired", active=False)
    assert names(end_user_api.get(CATEGORIES)) == ["Hardware"]
    assert names(agent_api.get(CATEGORIES)) == ["Hardware", "Retired"]


def test_approval_summary_and_plan_for_the_desk(agent_api, end_user_api, manager, laptop):
    desk = Team.objects.create(name="Desk")
    services.save_item(laptop, actor=manager, channel=Channel.WEB,
                       approval_stages=[{"order": 1, "name": "Manager", "approver": "line_manager"}],
                       task_templates=[{"stage": 1, "order": 1, "name": "Prepare", "assignment_group": desk}])
    desk_view = agent_api.get(f"{ITEMS}{laptop.pk}/").json()
    assert desk_view["approval"][0]["approver"] == "line_manager"
    assert desk_view["fulfilment_plan"][0]["name"] == "Prepare"
    assert end_user_api.get(f"{ITEMS}{laptop.pk}/").json()["approval"][0]["name"] == "Manager"
