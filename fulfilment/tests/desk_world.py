"""Requests and tasks for the desk page tests, built with the ORM (the pages only read them)."""

import itertools

from django.utils import timezone

from catalog.models import Category, CatalogItem, TaskTemplate
from core.choices import Decision
from fulfilment.choices import RequestState, TaskState
from fulfilment.models import Request, RequestApproval, RequestItem, Task

_numbers = itertools.count(1)

LAPTOP_SCHEMA = {
    "type": "object",
    "properties": {
        "model": {"type": "string", "enum": ["standard", "developer"], "x-field": "choice"},
        "reason": {"type": "string", "maxLength": 2000, "x-field": "text"},
        "needs_bag": {"type": "boolean", "x-field": "yesno"},
    },
    "required": ["model"],
    "additionalProperties": False,
}
LAPTOP_UI = {
    "order": ["model", "reason", "needs_bag"],
    "fields": {
        "model": {"label": "Laptop model", "label_ko": "노트북 모델",
                  "choices": {"standard": {"label": "Standard", "label_ko": "표준형"},
                              "developer": {"label": "Developer", "label_ko": "개발자용"}}},
        "reason": {"label": "Business reason", "label_ko": "업무상 사유"},
        "needs_bag": {"label": "Carrying bag", "label_ko": "가방 필요"},
    },
}


def laptop_item(groups, name="Laptop", name_ko="노트북 신청"):
    """A catalog item with a form and a plan: stage 1 by groups[0], stage 2 by groups[1]."""
    category, _ = Category.objects.get_or_create(name="Hardware", defaults={"name_ko": "하드웨어"})
    item = CatalogItem.objects.create(category=category, name=name, name_ko=name_ko,
                                      form_schema=LAPTOP_SCHEMA, form_ui=LAPTOP_UI)
    for stage, group in enumerate(groups, start=1):
        TaskTemplate.objects.create(item=item, stage=stage, order=1, name=f"Stage {stage} work",
                                    name_ko=f"{stage}단계 작업", assignment_group=group,
                                    instructions=f"Do the stage {stage} work.",
                                    answer_fields=["model"] if stage == 1 else ["needs_bag"])
    return item


def make_request(requester, item, *, state=RequestState.IN_FULFILMENT, requested_for=None, answers=None,
                 plan=(), decisions=(), tasks=True, title=None, **fields):
    """A request of one item in `state`; with `tasks`, one task per template (stage 1 open, the
    rest pending, unless the request is fulfilled: then all done)."""
    n = next(_numbers)
    req = Request.objects.create(number=f"REQ9{n:06d}", title=title or f"{item.name} for {requester}",
                                 requested_by=requester, requested_for=requested_for or requester, state=state,
                                 created_by=requester, **fields)
    line = RequestItem.objects.create(request=req, catalog_item=item, state=state,
                                      answers=answers if answers is not None else
                                      {"model": "developer", "reason": "New hire", "needs_bag": True},
                                      approval_plan=list(plan), current_stage=1 if tasks else 0)
    for approver, stage_order, decision, comment in decisions:
        RequestApproval.objects.create(request_item=line, stage_order=stage_order, stage_name=f"Stage {stage_order}",
                                       approver=approver, decision=decision, comment=comment)
    if tasks and state in (RequestState.IN_FULFILMENT, RequestState.FULFILLED):
        for template in item.task_templates.all():
            if state == RequestState.FULFILLED:
                task_state = TaskState.DONE
            else:
                task_state = TaskState.OPEN if template.stage == 1 else TaskState.PENDING
            Task.objects.create(number=f"TSK9{next(_numbers):06d}", title=template.name, request=req,
                                request_item=line, template=template, stage=template.stage, state=task_state,
                                assignment_group=template.assignment_group,
                                opened_at=timezone.now() if task_state != TaskState.PENDING else None)
    return req


def manager_stage(manager, name="Line manager"):
    return {"order": 1, "name": name, "approver": "line_manager", "group": None, "mode": "any", "quorum": None,
            "eligible": [manager.pk]}


__all__ = ["laptop_item", "make_request", "manager_stage", "Decision"]
