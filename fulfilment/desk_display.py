"""What the desk pages show of a requested item, read from what is stored: its answers with the
form's labels (catalog form_ui, in the active language) and its approval stages with who decided.

Read-only: nothing here decides. Labels come from catalog.formschema (the form contract); the
approval rules are fulfilment.approvals' (the shared engine on the item's plan snapshot), so the
panel offers exactly the vote fulfilment.services.decide accepts.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.models import Team, User
from catalog.models import ApproverKind
from catalog.formschema import item_fields
from cmdb.models import ConfigurationItem
from core.choices import ApprovalStatus
from fulfilment import approvals as approval_rules
from fulfilment.choices import ItemState


def _people_and_cis(pairs):
    """Names of the user and CI ids among the answers of many items: one query per kind."""
    user_ids, ci_ids = set(), set()
    for fields, answers in pairs:
        for f in fields:
            values = answers.get(f.name)
            values = values if isinstance(values, list) else [values]
            ids = {v for v in values if isinstance(v, int) and not isinstance(v, bool)}
            if f.kind == "user":
                user_ids |= ids
            elif f.kind == "ci":
                ci_ids |= ids
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    cis = dict(ConfigurationItem.objects.filter(pk__in=ci_ids).values_list("pk", "name")) if ci_ids else {}
    return users, cis


def _display(form_field, value, users, cis):
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if form_field is None:
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if form_field.kind == "user":
        return users.get(value, _("(person no longer available)"))
    if form_field.kind == "ci":
        return cis.get(value, _("(configuration item no longer available)"))
    return form_field.display(value)


def _rows(fields, answers, users, cis, only=None):
    """The form's questions that were answered, in the form's order; answers the form no longer
    asks (it was edited after the order) follow under their field names."""
    known = {f.name for f in fields}
    rows = [(f.label, _display(f, answers[f.name], users, cis)) for f in fields
            if f.name in answers and (only is None or f.name in only)]
    rows += [(name, _display(None, value, users, cis)) for name, value in answers.items()
             if name not in known and (only is None or name in only)]
    return rows


def answer_rows(catalog_item, answers, *, only=None):
    """[(label, shown value)] of one item's answers in the form's order (`only`: those fields)."""
    answers = answers or {}
    fields = item_fields(catalog_item)
    users, cis = _people_and_cis([(fields, answers)])
    return _rows(fields, answers, users, cis, only=set(only) if only is not None else None)


def item_answer_rows(items):
    """{requested item pk: answer rows} for the items of a page, looking people and CIs up once."""
    fields = {i.pk: item_fields(i.catalog_item) for i in items}
    users, cis = _people_and_cis([(fields[i.pk], i.answers or {}) for i in items])
    return {i.pk: _rows(fields[i.pk], i.answers or {}, users, cis) for i in items}


# --- approvals ----------------------------------------------------------------------------------

@dataclass
class StageRow:
    order: int
    name: str
    status: str
    status_label: str
    rule_label: str
    tally_label: str
    current: bool = False
    fallback: bool = False
    decisions: list = field(default_factory=list)


@dataclass
class ItemPanel:
    stages: list
    offer: object = None        # the StageSpec the viewer may decide now, or None
    not_offered: str = ""       # why not, when it is about the viewer (their own request, decided already)


def _who_decides(stage_plan, result, group_names):
    """Who decides a stage, in words: the line manager, or the group and its rule."""
    if stage_plan.get("approver") == ApproverKind.LINE_MANAGER and not stage_plan.get("fallback"):
        return str(ApproverKind.LINE_MANAGER.label)
    group = group_names.get(stage_plan.get("group"))
    return f"{group} · {result.rule_label}" if group and not stage_plan.get("fallback") else result.rule_label


def item_panels(service_request, items, user):
    """{requested item pk: ItemPanel} from each item's plan and its prefetched `approvals`."""
    panels = {}
    group_ids = {s.get("group") for item in items for s in item.approval_plan or () if s.get("group")}
    group_names = dict(Team.objects.filter(pk__in=group_ids).values_list("pk", "name")) if group_ids else {}
    for item in items:
        approvals = list(item.approvals.all())
        _overall, results, current = approval_rules.evaluate(item, approvals, request=service_request)
        plan = {s.get("order"): s for s in item.approval_plan or ()}
        decisions = [a for a in approvals if a.round == item.approval_round]
        stages = [StageRow(order=r.spec.order, name=r.spec.name, status=r.status,
                           status_label=ApprovalStatus(r.status).label,
                           rule_label=_who_decides(plan.get(r.spec.order, {}), r, group_names),
                           tally_label=r.tally_label, current=current is not None and r is current,
                           fallback=bool(plan.get(r.spec.order, {}).get("fallback")),
                           decisions=[a for a in decisions if a.stage_order == r.spec.order]) for r in results]
        panel = ItemPanel(stages=stages)
        if item.state == ItemState.AWAITING_APPROVAL and stages:
            offer = approval_rules.offer(item, approvals, request=service_request, actor_id=user.pk)
            if offer.stage is not None:
                panel.offer = offer.stage
            elif offer.personal:
                panel.not_offered = offer.reason
        panels[item.pk] = panel
    return panels
