"""Catalog managers write an item's approval stages and fulfilment plan through catalog/items/
(issue 13): the whole list at once, validated by catalog.services, a clear 400 naming the field."""

import pytest

from accounts.models import Team
from catalog.models import TaskTemplate
from catalog.tests.factories import make_item
from changes.models import ChangeTemplate

pytestmark = pytest.mark.django_db
ITEMS = "/api/v1/catalog/items/"


@pytest.fixture
def item(category):
    return make_item("Laptop", category=category)  # the laptop form: model, memory, reason, needed_by


@pytest.fixture
def desk():
    return Team.objects.create(name="Desk")


def patch(client, item, body):
    return client.patch(f"{ITEMS}{item.pk}/", {**body, "version": item.version}, format="json")


def test_manager_writes_stages_and_plan(manager_api, item, desk):
    template = ChangeTemplate.objects.create(name="Grant access", implementation_plan="Grant", backout_plan="Revoke",
                                             test_plan="Log in")
    response = patch(manager_api, item, {
        "approval": [{"order": 1, "name": "Manager", "approver": "line_manager"},
                     {"order": 2, "name": "Two of the desk", "approver": "group", "group": desk.pk, "mode": "quorum",
                      "quorum": 2}],
        "fulfilment_plan": [{"stage": 1, "name": "Prepare", "name_ko": "준비", "assignment_group": desk.pk,
                             "answer_fields": ["model"], "instructions": "Image it."},
                            {"stage": 2, "name": "Grant", "assignment_group": desk.pk,
                             "change_template": template.pk}],
    })
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == item.version + 1
    assert [(s["order"], s["approver"], s["group"], s["quorum"]) for s in body["approval"]] == [
        (1, "line_manager", None, None), (2, "group", desk.pk, 2)]
    assert [(t["stage"], t["name"], t["change_template"]) for t in body["fulfilment_plan"]] == [
        (1, "Prepare", None), (2, "Grant", template.pk)]
    assert body["fulfilment_plan"][0]["instructions"] == "Image it."


def test_a_step_sent_with_its_id_is_kept(manager_api, item, desk):
    first = patch(manager_api, item, {"fulfilment_plan": [{"stage": 1, "name": "Prepare",
                                                           "assignment_group": desk.pk}]}).json()
    kept = first["fulfilment_plan"][0]["id"]
    item.refresh_from_db()
    second = patch(manager_api, item, {"fulfilment_plan": [
        {"id": kept, "stage": 1, "name": "Prepare the laptop", "assignment_group": desk.pk},
        {"stage": 2, "name": "Deliver", "assignment_group": desk.pk}]}).json()
    assert second["fulfilment_plan"][0]["id"] == kept
    assert TaskTemplate.objects.get(pk=kept).name == "Prepare the laptop"
    item.refresh_from_db()
    # an empty list removes every step (and every stage)
    cleared = patch(manager_api, item, {"fulfilment_plan": [], "approval": []}).json()
    assert cleared["fulfilment_plan"] == [] and cleared["approval"] == []


@pytest.mark.parametrize("body, field, words", [
    ({"approval": [{"order": 1, "name": "Board", "approver": "group"}]}, "approval", "group"),
    ({"approval": [{"order": 1, "name": "Board", "approver": "group", "group": 1, "mode": "quorum"}]},
     "approval", "quorum"),
    ({"approval": [{"order": 1, "name": "A", "approver": "line_manager"},
                   {"order": 1, "name": "B", "approver": "line_manager"}]}, "approval", "order"),
    ({"approval": [{"order": 1, "name": "A", "approver": "the boss"}]}, "approval", "approver"),
    ({"approval": [{"order": 0, "name": "A"}]}, "approval", "order"),
    ({"approval": [{"order": 1, "name": "A", "approver": "group", "group": 999999}]}, "approval", "group"),
    ({"approval": {"order": 1}}, "approval", ""),
    ({"fulfilment_plan": [{"stage": 1, "name": "Prepare"}]}, "fulfilment_plan", "assignment_group"),
    ({"fulfilment_plan": [{"stage": 1, "name": "Prepare", "assignment_group": "DESK",
                           "answer_fields": ["colour"]}]}, "fulfilment_plan", "assignment_group"),
    ({"fulfilment_plan": None}, "fulfilment_plan", ""),
    ({"fulfilment_plan": [{"stage": 1, "name": "X", "assignment_group": 1, "change_template": 424242}]},
     "fulfilment_plan", "change_template"),
])
def test_bad_stages_and_steps_answer_400_naming_the_field(manager_api, item, desk, body, field, words):
    # the desk group's id stands in for "1" (ids differ between runs)
    for row in body.get("approval", []) if isinstance(body.get("approval"), list) else []:
        if row.get("group") == 1:
            row["group"] = desk.pk
    for row in body.get("fulfilment_plan") or []:
        if row.get("assignment_group") == 1:
            row["assignment_group"] = desk.pk
    response = patch(manager_api, item, body)
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert words in str(errors[field]), errors
    item.refresh_from_db()
    assert item.version == 1 and not item.approval_stages.exists() and not item.task_templates.exists()


def test_a_step_needing_an_answer_the_form_lacks_is_refused(manager_api, item, desk):
    response = patch(manager_api, item, {"fulfilment_plan": [
        {"stage": 1, "name": "Paint", "assignment_group": desk.pk, "answer_fields": ["colour"]}]})
    assert response.status_code == 400
    assert "colour" in str(response.json()["fulfilment_plan"])


def test_only_catalog_managers_write_the_plan(agent_api, end_user_api, item, desk):
    body = {"fulfilment_plan": [{"stage": 1, "name": "Prepare", "assignment_group": desk.pk}], "version": 1}
    assert agent_api.patch(f"{ITEMS}{item.pk}/", body, format="json").status_code == 403
    assert end_user_api.patch(f"{ITEMS}{item.pk}/", body, format="json").status_code in (403, 404)
    assert not item.task_templates.exists()


def test_end_users_still_read_no_plan(end_user_api, manager_api, item, desk):
    patch(manager_api, item, {"fulfilment_plan": [{"stage": 1, "name": "Prepare", "assignment_group": desk.pk}]})
    assert end_user_api.get(f"{ITEMS}{item.pk}/").json()["fulfilment_plan"] is None
