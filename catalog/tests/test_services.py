"""catalog.services: one transaction, audit trail, version check, search kept filled."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Team
from catalog import selectors, services
from catalog.models import CatalogItem, Category
from catalog.tests.factories import laptop_form
from cmdb.tests.factories import make_ci
from core.choices import Channel
from core.exceptions import StaleVersion
from core.models import AuditEntry

pytestmark = pytest.mark.django_db
WEB = Channel.WEB


def new_item(manager, category, **fields):
    schema, ui = laptop_form()
    return services.save_item(None, actor=manager, channel=WEB, fields={
        "category": category, "name": "Laptop", "name_ko": "노트북", "summary": "A work laptop",
        "summary_ko": "업무용 노트북", "form_schema": schema, "form_ui": ui, **fields})


def test_category_nests_one_level(manager):
    top = services.save_category(None, actor=manager, channel=WEB, fields={"name": "Hardware"})
    sub = services.save_category(None, actor=manager, channel=WEB, fields={"name": "Laptops", "parent": top})
    with pytest.raises(ValidationError) as caught:
        services.save_category(None, actor=manager, channel=WEB, fields={"name": "Deep", "parent": sub})
    assert "parent" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.save_category(top, actor=manager, channel=WEB, fields={"parent": sub})
    assert AuditEntry.objects.filter(object_id=top.pk, action="created").exists()


def test_category_stale_version_is_refused(manager, category):
    services.save_category(category, actor=manager, channel=WEB, fields={"name": "Devices"}, expected_version=1)
    with pytest.raises(StaleVersion):
        services.save_category(category, actor=manager, channel=WEB, fields={"name": "Old"}, expected_version=1)
    category.refresh_from_db()
    assert (category.name, category.version) == ("Devices", 2)


def test_item_saved_audited_and_searchable_in_both_languages(manager, category):
    item = new_item(manager, category)
    assert AuditEntry.objects.filter(object_id=item.pk, action="created").count() == 1
    for text in ("노트북", "laptop", "Lap", "업무용"):
        assert list(selectors.search_items(manager, text)) == [item], text
    services.save_item(item, actor=manager, channel=WEB, fields={"name_ko": "랩톱"}, expected_version=1)
    assert list(selectors.search_items(manager, "랩톱")) == [item]
    services.save_item(item, actor=manager, channel=WEB, fields={"summary_ko": "업무용"}, expected_version=2)
    assert list(selectors.search_items(manager, "노트북")) == []
    assert AuditEntry.objects.filter(object_id=item.pk, field="name_ko").get().new_value == "랩톱"


def test_item_stale_version_changes_nothing(manager, category):
    item = new_item(manager, category)
    services.save_item(item, actor=manager, channel=WEB, fields={"name": "Notebook"}, expected_version=1)
    with pytest.raises(StaleVersion):
        services.save_item(item, actor=manager, channel=WEB, fields={"name": "Old"}, expected_version=1)
    assert CatalogItem.objects.get().name == "Notebook"


def test_a_broken_form_is_refused_naming_the_problem(manager, category):
    schema, ui = laptop_form()
    ui["fields"]["memory"]["show_if"] = {"field": "colour", "equals": "x"}
    with pytest.raises(ValidationError) as caught:
        new_item(manager, category, form_schema=schema, form_ui=ui)
    assert "colour" in caught.value.message_dict["form_schema"][0]
    assert not CatalogItem.objects.exists()


def test_service_must_be_a_business_service(manager, category):
    with pytest.raises(ValidationError) as caught:
        new_item(manager, category, service=make_ci("db-01"))
    assert "service" in caught.value.message_dict
    item = new_item(manager, category, service=make_ci("Mail", cls="business_service"))
    assert item.service.name == "Mail"


def test_stages_and_tasks_replace_the_plan(manager, category):
    item = new_item(manager, category)
    approvers, desk = Team.objects.create(name="IT managers"), Team.objects.create(name="Desk")
    services.save_item(item, actor=manager, channel=WEB, expected_version=1, approval_stages=[
        {"order": 1, "name": "Manager", "approver": "line_manager"},
        {"order": 2, "name": "IT", "approver": "group", "group": approvers, "mode": "quorum", "quorum": 2},
    ], task_templates=[
        {"stage": 1, "order": 1, "name": "Prepare", "assignment_group": desk, "answer_fields": ["model"]},
        {"stage": 2, "order": 1, "name": "Hand over", "assignment_group": desk},
    ])
    item.refresh_from_db()
    assert item.version == 2
    assert [s.name for s in item.approval_stages.all()] == ["Manager", "IT"]
    prepare = item.task_templates.get(name="Prepare")
    services.save_item(item, actor=manager, channel=WEB, expected_version=2, task_templates=[
        {"id": prepare.pk, "stage": 1, "order": 1, "name": "Prepare laptop", "assignment_group": desk}])
    assert list(item.task_templates.values_list("pk", "name")) == [(prepare.pk, "Prepare laptop")]
    assert AuditEntry.objects.filter(object_id=item.pk, field="task_templates").count() == 2


def test_plan_errors_name_the_row(manager, category):
    item = new_item(manager, category)
    desk = Team.objects.create(name="Desk")
    with pytest.raises(ValidationError) as caught:
        services.save_item(item, actor=manager, channel=WEB, approval_stages=[
            {"order": 1, "name": "IT", "approver": "group"}], task_templates=[
            {"stage": 1, "order": 1, "name": "Prepare", "assignment_group": desk, "answer_fields": ["colour"]}])
    errors = caught.value.message_dict
    assert errors["approval_stages"][0].startswith("1. ")
    assert "colour" in errors["task_templates"][0]
    assert not item.approval_stages.exists() and not item.task_templates.exists()


def test_search_items_only_what_the_user_may_order(manager, end_user, category):
    item = new_item(manager, category, available_to_everyone=False)
    assert list(selectors.search_items(end_user, "laptop")) == []
    services.save_item(item, actor=manager, channel=WEB, organisations=[end_user.organisation])
    assert list(selectors.search_items(end_user, "노트북")) == [item]
    assert Category.objects.count() == 1
