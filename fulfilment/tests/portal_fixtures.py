"""Catalog and request records for the portal's tests, made with the ORM (no service needed)."""

import itertools

import pytest

from accounts.models import Team
from catalog.models import CatalogItem, Category, ItemApprovalStage, TaskTemplate
from catalog.selectors import refresh_search
from fulfilment.models import Request, RequestApproval, RequestItem, Task

LAPTOP_SCHEMA = {
    "type": "object",
    "properties": {
        "model": {"type": "string", "enum": ["standard", "developer"], "x-field": "choice"},
        "needs_software": {"type": "boolean", "x-field": "yesno"},
        "software": {"type": "string", "maxLength": 500, "x-field": "text"},
        "reason": {"type": "string", "maxLength": 2000, "x-field": "text"},
    },
    "required": ["model", "software"],
    "additionalProperties": False,
}
LAPTOP_UI = {
    "order": ["model", "needs_software", "software", "reason"],
    "fields": {
        "model": {"label": "Model", "label_ko": "모델", "choices": {
            "standard": {"label": "Standard laptop", "label_ko": "표준 노트북"},
            "developer": {"label": "Developer laptop", "label_ko": "개발자용 노트북"}}},
        "needs_software": {"label": "Extra software needed?", "label_ko": "추가 소프트웨어가 필요합니까?"},
        "software": {"label": "Which software?", "label_ko": "어떤 소프트웨어입니까?",
                     "show_if": {"field": "needs_software", "equals": True}},
        "reason": {"label": "Why do you need it?", "label_ko": "필요한 이유", "widget": "textarea"},
    },
}
_numbers = itertools.count(1)


def make_category(name, name_ko="", parent=None, **extra):
    return Category.objects.create(name=name, name_ko=name_ko, parent=parent, **extra)


def make_item(category, name, name_ko="", **extra):
    extra.setdefault("summary", f"{name}, delivered to your desk")
    item = CatalogItem.objects.create(category=category, name=name, name_ko=name_ko, **extra)
    refresh_search([item.pk])  # made without the catalog's services: index it for the search
    return item


def make_laptop(category, group=None):
    item = make_item(category, "Laptop", "노트북", summary="A laptop for work", summary_ko="업무용 노트북",
                     description="Standard or developer laptop.", description_ko="표준 또는 개발자용 노트북입니다.",
                     icon="laptop", delivery_time=24, max_quantity=3,
                     form_schema=LAPTOP_SCHEMA, form_ui=LAPTOP_UI)
    ItemApprovalStage.objects.create(item=item, order=1, name="Line manager", approver="line_manager")
    if group is not None:
        TaskTemplate.objects.create(item=item, stage=1, order=1, name="Prepare the laptop", name_ko="노트북 준비",
                                    assignment_group=group)
        TaskTemplate.objects.create(item=item, stage=1, order=2, name="Install software", name_ko="소프트웨어 설치",
                                    assignment_group=group)
        TaskTemplate.objects.create(item=item, stage=2, order=1, name="Hand over", name_ko="전달",
                                    assignment_group=group)
    return item


def make_request(requested_by, item, *, requested_for=None, state="awaiting_approval", answers=None, **extra):
    n = next(_numbers)
    order = Request.objects.create(number=f"REQ9{n:06d}", title=item.name, requested_by=requested_by,
                                   requested_for=requested_for or requested_by, state=state, **extra)
    line = RequestItem.objects.create(
        request=order, catalog_item=item, quantity=1, state=state,
        answers=answers if answers is not None else {"model": "standard", "needs_software": False},
        approval_plan=[{"order": 1, "name": "Line manager", "approver": "line_manager", "mode": "any"}])
    return order, line


def make_task(line, template, *, stage, state="open"):
    n = next(_numbers)
    return Task.objects.create(number=f"TSK9{n:06d}", title=template.name, request=line.request, request_item=line,
                               template=template, stage=stage, state=state, assignment_group=template.assignment_group)


def approve(line, approver, decision="approve", comment=""):
    return RequestApproval.objects.create(request_item=line, round=1, stage_order=1, stage_name="Line manager",
                                          approver=approver, decision=decision, comment=comment)


@pytest.fixture
def hardware(db):
    return make_category("Hardware", "하드웨어", icon="laptop", order=1)


@pytest.fixture
def fulfilment_team(db):
    return Team.objects.create(name="IT logistics")


@pytest.fixture
def laptop(hardware, fulfilment_team):
    return make_laptop(hardware, fulfilment_team)
