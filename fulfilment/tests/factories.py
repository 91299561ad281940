"""Catalog items with approval stages and fulfilment plans, for the engine's tests."""

from accounts.models import Team
from catalog.models import ApproverKind, CatalogItem, Category, ItemApprovalStage, TaskTemplate


FORM_SCHEMA = {"type": "object", "properties": {
    "model": {"type": "string", "enum": ["X1", "T14"], "x-field": "choice"},
    "note": {"type": "string", "maxLength": 200, "x-field": "text"},
}, "required": ["model"], "additionalProperties": False}
FORM_UI = {"order": ["model", "note"], "fields": {
    "model": {"label": "Model", "label_ko": "모델"}, "note": {"label": "Note", "label_ko": "메모"}}}


def make_category(name="Hardware"):
    return Category.objects.create(name=name, name_ko="하드웨어")


def make_item(name="Laptop", *, name_ko="노트북 신청", category=None, stages=(), plan=(), **fields):
    """`stages`: (approver kind, group or None, mode, quorum) tuples in order; `plan`: (stage,
    group, change_template or None) tuples."""
    fields.setdefault("form_schema", FORM_SCHEMA)
    fields.setdefault("form_ui", FORM_UI)
    item = CatalogItem.objects.create(category=category or make_category(), name=name, name_ko=name_ko, **fields)
    for order, (kind, group, mode, quorum) in enumerate(stages, start=1):
        ItemApprovalStage.objects.create(item=item, order=order, name=f"Stage {order}", approver=kind, group=group,
                                         mode=mode, quorum=quorum)
    for order, (stage, group, change_template) in enumerate(plan, start=1):
        TaskTemplate.objects.create(item=item, stage=stage, order=order, name=f"Step {order}",
                                    name_ko=f"단계 {order}", assignment_group=group,
                                    instructions="Do it.", answer_fields=["model"],
                                    change_template=change_template)
    return item


def line_manager_stage():
    return (ApproverKind.LINE_MANAGER, None, "any", None)


def group_stage(group, mode="any", quorum=None):
    return (ApproverKind.GROUP, group, mode, quorum)


def make_group(name, members=()):
    group = Team.objects.create(name=name)
    group.members.add(*members)
    return group
