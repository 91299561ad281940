"""Desk pages of the catalog: the desk reads, catalog managers write through catalog.services."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Team
from catalog.models import CatalogItem, Category
from catalog.tests.factories import make_item
from cmdb.tests.factories import make_ci

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client
    return login


def item_post(category, item=None, **overrides):
    data = {"category": category.pk, "name": "Monitor", "name_ko": "모니터", "summary": "A second screen",
            "delivery_time": "16", "max_quantity": "2", "available_to_everyone": "on", "active": "on"}
    if item is not None:
        data["version"] = item.version
    data.update(overrides)
    return data


def editor_post(item, rows, version=None):
    data = {"version": version or item.version, "fields-TOTAL_FORMS": str(len(rows)), "fields-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"fields-{index}-{key}"] = value
        data.setdefault(f"fields-{index}-ORDER", str(index + 1))
    return data


def test_agent_reads_without_edit_buttons_and_is_refused_writes(as_user, agent, laptop):
    client = as_user(agent)
    for url in (reverse("catalog:item_list"), reverse("catalog:category_list"),
                reverse("catalog:item_detail", args=[laptop.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'data-testid="edit-' not in response.content.decode()
        assert 'data-testid="new-' not in response.content.decode()
    for url in (reverse("catalog:item_create"), reverse("catalog:item_edit", args=[laptop.pk]),
                reverse("catalog:item_form", args=[laptop.pk]), reverse("catalog:item_plan", args=[laptop.pk]),
                reverse("catalog:category_create")):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "x"}).status_code == 403, url


def test_item_list_filters_and_searches_in_both_languages(as_user, agent, laptop, category):
    other = make_item("Mouse", category=Category.objects.create(name="Accessories"), form=({}, {}))
    other.active = False
    other.save()
    from catalog import selectors
    selectors.refresh_search()
    client = as_user(agent)
    for query, shown, hidden in (({"search": "노트북"}, "Laptop", "Mouse"), ({"search": "laptop"}, "Laptop", "Mouse"),
                                 ({"active": "false"}, "Mouse", "Laptop"),
                                 ({"category": category.pk}, "Laptop", "Mouse")):
        body = client.get(reverse("catalog:item_list"), query).content.decode()
        assert shown in body and hidden not in body, query


def test_item_list_query_count_is_constant(as_user, agent, category, django_assert_num_queries):
    for n in range(3):
        make_item(f"Item {n}", category=category)
    client = as_user(agent)
    client.get(reverse("catalog:item_list"))
    # 6: the navigation's approvals badge is one statement for every source (core.approvals), and
    # the user's roles are kept per process (accounts.roles.membership): issue 12, fifth round
    with django_assert_num_queries(6):
        client.get(reverse("catalog:item_list"))
    for n in range(3, 8):
        make_item(f"Item {n}", category=category)
    # 6: the navigation's approvals badge is one statement for every source (core.approvals), and
    # the user's roles are kept per process (accounts.roles.membership): issue 12, fifth round
    with django_assert_num_queries(6):
        client.get(reverse("catalog:item_list"))


def test_manager_creates_an_item_with_a_business_service(as_user, manager, category):
    service = make_ci("Workplace", cls="business_service")
    response = as_user(manager).post(reverse("catalog:item_create"),
                                     item_post(category, service=service.pk, service_text="Workplace"))
    assert response.status_code == 302, response.content.decode()[:3000]
    item = CatalogItem.objects.get(name="Monitor")
    assert (item.service, item.name_ko, item.max_quantity) == (service, "모니터", 2)


def test_a_server_is_not_a_business_service_and_nothing_typed_is_lost(as_user, manager, category):
    server = make_ci("db-01")
    response = as_user(manager).post(reverse("catalog:item_create"),
                                     item_post(category, service=server.pk, service_text="db-01",
                                               description="Keep this text"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Keep this text" in body and "모니터" in body
    assert not CatalogItem.objects.exists()


def test_nobody_could_order_it(as_user, manager, category):
    data = item_post(category)
    del data["available_to_everyone"]
    response = as_user(manager).post(reverse("catalog:item_create"), data)
    assert response.status_code == 400
    assert "Nobody could order it" in response.content.decode()
    team = Team.objects.create(name="Developers")
    assert as_user(manager).post(reverse("catalog:item_create"), {**data, "groups": [team.pk]}).status_code == 302


def test_stale_edit_is_refused_with_a_clear_message(as_user, manager, laptop, category):
    client = as_user(manager)
    assert client.post(reverse("catalog:item_edit", args=[laptop.pk]), item_post(category, laptop)).status_code == 302
    response = client.post(reverse("catalog:item_edit", args=[laptop.pk]),
                           item_post(category, laptop, name="Old copy"))
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    laptop.refresh_from_db()
    assert laptop.name == "Monitor"


def test_category_one_level_nesting_on_the_page(as_user, manager, category):
    client = as_user(manager)
    assert client.post(reverse("catalog:category_create"), {"name": "Laptops", "parent": category.pk,
                                                            "order": "1", "active": "on"}).status_code == 302
    sub = Category.objects.get(name="Laptops")
    response = client.get(reverse("catalog:category_create"))
    assert f'value="{sub.pk}"' not in response.content.decode()  # a sub-category is no parent
    response = client.post(reverse("catalog:category_edit", args=[category.pk]),
                           {"name": "Hardware", "parent": category.pk, "order": "1", "version": "1"})
    assert response.status_code == 400


def test_form_editor_round_trips_the_definition(as_user, manager, laptop):
    client = as_user(manager)
    page = client.get(reverse("catalog:item_form", args=[laptop.pk])).content.decode()
    assert 'value="model"' in page and "developer | Developer | 개발자용" in page
    assert 'data-testid="form-preview"' in page and "catalog-form.js" in page


def test_form_editor_saves_fields_with_korean_labels_and_conditions(as_user, manager, laptop):
    rows = [
        {"name": "os", "kind": "choice", "label": "Operating system", "label_ko": "운영체제", "required": "on",
         "choices": "win | Windows | 윈도우\nmac | macOS | 맥OS"},
        {"name": "office", "kind": "yesno", "label": "Office", "label_ko": "오피스",
         "show_if_field": "os", "show_if_value": "win"},
        {"name": "count", "kind": "number", "label": "Count", "minimum": "1", "maximum": "5", "whole_number": "on"},
    ]
    response = as_user(manager).post(reverse("catalog:item_form", args=[laptop.pk]), editor_post(laptop, rows))
    assert response.status_code == 302, response.content.decode()[:2000]
    laptop.refresh_from_db()
    assert laptop.form_ui["order"] == ["os", "office", "count"]
    assert laptop.form_schema["properties"]["count"] == {"x-field": "number", "type": "integer", "minimum": 1,
                                                         "maximum": 5}
    assert laptop.form_ui["fields"]["office"]["show_if"] == {"field": "os", "equals": "win"}
    assert laptop.form_ui["fields"]["os"]["choices"]["mac"] == {"label": "macOS", "label_ko": "맥OS"}
    assert laptop.form_schema["required"] == ["os"]
    assert laptop.version == 2


def test_form_editor_reorders_and_removes(as_user, manager, laptop):
    rows = [{"name": "a", "kind": "text", "label": "A", "ORDER": "2"},
            {"name": "b", "kind": "text", "label": "B", "ORDER": "1"},
            {"name": "c", "kind": "text", "label": "C", "ORDER": "3", "DELETE": "on"}]
    assert as_user(manager).post(reverse("catalog:item_form", args=[laptop.pk]),
                                 editor_post(laptop, rows)).status_code == 302
    laptop.refresh_from_db()
    assert laptop.form_ui["order"] == ["b", "a"]


def test_form_editor_errors_on_the_row_and_nothing_lost(as_user, manager, laptop):
    rows = [{"name": "Bad Name", "kind": "text", "label": "Typed label"},
            {"name": "pick", "kind": "choice", "label": "Pick", "choices": ""},
            {"name": "other", "kind": "text", "show_if_field": "nowhere", "show_if_value": "x"}]
    response = as_user(manager).post(reverse("catalog:item_form", args=[laptop.pk]), editor_post(laptop, rows))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Use lower-case letters" in body and "Give the choices" in body and "Typed label" in body
    laptop.refresh_from_db()
    assert laptop.version == 1


def test_form_editor_stale_version(as_user, manager, laptop):
    rows = [{"name": "a", "kind": "text", "label": "A"}]
    client = as_user(manager)
    assert client.post(reverse("catalog:item_form", args=[laptop.pk]), editor_post(laptop, rows)).status_code == 302
    response = client.post(reverse("catalog:item_form", args=[laptop.pk]), editor_post(laptop, rows, version=1))
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()


def test_add_field_keeps_the_rows(as_user, manager, laptop):
    rows = [{"name": "a", "kind": "text", "label": "Kept label"}]
    response = as_user(manager).post(reverse("catalog:item_form", args=[laptop.pk]),
                                     {**editor_post(laptop, rows), "add_field": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kept label" in body and 'name="fields-1-name"' in body


def test_live_preview_renders_the_rows_as_typed(as_user, manager, laptop):
    rows = [{"name": "os", "kind": "choice", "label": "Operating system", "label_ko": "운영체제",
             "choices": "win | Windows | 윈도우"},
            {"name": "office", "kind": "yesno", "label": "Office", "show_if_field": "os", "show_if_value": "win"},
            {"name": "broken", "kind": "text", "show_if_field": "broken", "show_if_value": "x"}]
    client = as_user(manager)
    url = reverse("catalog:item_form_preview", args=[laptop.pk])
    body = client.post(url, editor_post(laptop, rows), HTTP_HX_REQUEST="true").content.decode()
    assert "Operating system" in body and 'data-show-if-field="preview-os"' in body
    with translation.override("ko"):
        body = client.post(url, editor_post(laptop, rows), HTTP_ACCEPT_LANGUAGE="ko",
                           HTTP_HX_REQUEST="true").content.decode()
    assert "운영체제" in body


def test_plan_saves_stages_and_tasks(as_user, manager, laptop):
    approvers, desk = Team.objects.create(name="IT managers"), Team.objects.create(name="Desk")
    data = {"version": laptop.version,
            "stages-TOTAL_FORMS": "2", "stages-INITIAL_FORMS": "0",
            "stages-0-order": "1", "stages-0-name": "Line manager", "stages-0-approver": "line_manager",
            "stages-0-mode": "any",
            "stages-1-order": "2", "stages-1-name": "IT", "stages-1-approver": "group", "stages-1-group": approvers.pk,
            "stages-1-mode": "quorum", "stages-1-quorum": "2",
            "tasks-TOTAL_FORMS": "1", "tasks-INITIAL_FORMS": "0",
            "tasks-0-stage": "1", "tasks-0-order": "1", "tasks-0-name": "Prepare", "tasks-0-name_ko": "준비",
            "tasks-0-assignment_group": desk.pk, "tasks-0-answer_fields": ["model", "reason"]}
    client = as_user(manager)
    response = client.post(reverse("catalog:item_plan", args=[laptop.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [s.name for s in laptop.approval_stages.all()] == ["Line manager", "IT"]
    assert laptop.task_templates.get().answer_fields == ["model", "reason"]
    detail = client.get(reverse("catalog:item_detail", args=[laptop.pk])).content.decode()
    assert "IT managers" in detail and "Prepare" in detail
    data["version"] = 2
    data["stages-1-group"] = ""
    response = client.post(reverse("catalog:item_plan", args=[laptop.pk]), data)
    assert response.status_code == 400
    assert "needs its approver group" in response.content.decode()


def test_pages_render_in_korean(as_user, manager, laptop):
    client = as_user(manager)
    client.cookies["django_language"] = "ko"
    for url in (reverse("catalog:item_list"), reverse("catalog:item_detail", args=[laptop.pk]),
                reverse("catalog:item_form", args=[laptop.pk]), reverse("catalog:item_plan", args=[laptop.pk]),
                reverse("catalog:item_edit", args=[laptop.pk]), reverse("catalog:category_list")):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ko")
        assert response.status_code == 200
        assert 'lang="ko"' in response.content.decode()[:300], url
