"""What the desk pages show of a requested item, read from what is stored: its answers with the
form's labels (catalog form_ui, in the active language) and its approval stages with who decided.

Read-only: nothing here decides; the approval rules are the shared engine's (evaluated on the
item's approval plan snapshot), so the panel offers exactly the vote fulfilment.services accepts.
"""

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import User
from changes import approvals as approval_rules
from cmdb.models import ConfigurationItem
from core.choices import ApprovalStatus
from fulfilment.choices import ItemState


def _in_language(hints, key):
    """hints[key + "_ko"] for a Korean reader when filled, else hints[key] (and the reverse)."""
    english, korean = hints.get(key) or "", hints.get(f"{key}_ko") or ""
    if (get_language() or "").startswith("ko"):
        return korean or english
    return english or korean


def _kinds(item):
    properties = (item.form_schema or {}).get("properties") or {}
    return {name: (spec or {}).get("x-field", "") for name, spec in properties.items()}


def _field_order(item, answers):
    ui = item.form_ui or {}
    order = [name for name in ui.get("order") or [] if name in answers]
    return order + [name for name in answers if name not in order]


def _people_and_cis(pairs):
    """Names of the user and CI ids among the answers of many items: one query per kind."""
    user_ids, ci_ids = set(), set()
    for item, answers in pairs:
        kinds = _kinds(item)
        for name, value in answers.items():
            values = value if isinstance(value, list) else [value]
            ids = {v for v in values if isinstance(v, int) and not isinstance(v, bool)}
            if kinds.get(name) == "user":
                user_ids |= ids
            elif kinds.get(name) == "ci":
                ci_ids |= ids
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    cis = dict(ConfigurationItem.objects.filter(pk__in=ci_ids).values_list("pk", "name")) if ci_ids else {}
    return users, cis


def _display(kind, value, hints, users, cis):
    choices = hints.get("choices") or {}

    def choice(v):
        return _in_language(choices.get(str(v)) or {}, "label") or str(v)

    if value is None or value == "" or value == []:
        return "—"
    if kind == "yesno" or isinstance(value, bool):
        return _("Yes") if value else _("No")
    if kind == "user":
        return users.get(value, _("(person no longer available)"))
    if kind == "ci":
        return cis.get(value, _("(configuration item no longer available)"))
    if isinstance(value, list):
        return ", ".join(choice(v) for v in value)
    if kind == "choice" or str(value) in choices:
        return choice(value)
    return str(value)


def _rows(item, answers, users, cis, only=None):
    ui_fields = (item.form_ui or {}).get("fields") or {}
    kinds = _kinds(item)
    rows = []
    for name in _field_order(item, answers):
        if only is not None and name not in only:
            continue
        hints = ui_fields.get(name) or {}
        rows.append((_in_language(hints, "label") or name, _display(kinds.get(name), answers[name], hints, users, cis)))
    return rows


def answer_rows(catalog_item, answers, *, only=None):
    """[(label, shown value)] of one item's answers in the form's order (`only`: those fields)."""
    answers = answers or {}
    users, cis = _people_and_cis([(catalog_item, answers)])
    return _rows(catalog_item, answers, users, cis, only=set(only) if only is not None else None)


def item_answer_rows(items):
    """{requested item pk: answer rows} for the items of a page, looking people and CIs up once."""
    pairs = [(i.catalog_item, i.answers or {}) for i in items]
    users, cis = _people_and_cis(pairs)
    return {i.pk: _rows(i.catalog_item, i.answers or {}, users, cis) for i in items}


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
    decisions: list = field(default_factory=list)


@dataclass
class ItemPanel:
    stages: list
    decisions: list
    offer: object = None        # the StageSpec the viewer may decide now, or None
    not_offered: str = ""       # why not, when it is about the viewer (their own request, decided already)


def _specs(item):
    specs = []
    for stage in item.approval_plan or []:
        specs.append(approval_rules.StageSpec(
            order=int(stage.get("order", 0)), name=stage.get("name", ""), mode=stage.get("mode", "any"),
            eligible=frozenset(stage.get("eligible") or stage.get("eligible_ids") or stage.get("approvers") or ()),
            quorum=stage.get("quorum")))
    return specs


def item_panels(service_request, items, user):
    """{requested item pk: ItemPanel} from each item's plan and its prefetched `approvals`."""
    panels = {}
    requester_id = service_request.requested_by_id
    for item in items:
        specs = _specs(item)
        decisions = [a for a in item.approvals.all() if a.round == item.approval_round]
        facts = [approval_rules.DecisionFact(stage_order=a.stage_order, approver_id=a.approver_id,
                                             decision=a.decision) for a in decisions]
        _overall, results, current = approval_rules.evaluate(specs, facts, requester_id=requester_id)
        stages = [StageRow(order=r.spec.order, name=r.spec.name, status=r.status,
                           status_label=ApprovalStatus(r.status).label, rule_label=r.rule_label,
                           tally_label=r.tally_label, current=current is not None and r is current,
                           decisions=[a for a in decisions if a.stage_order == r.spec.order]) for r in results]
        panel = ItemPanel(stages=stages, decisions=list(item.approvals.all()))
        if item.state == ItemState.AWAITING_APPROVAL and specs:
            offer = approval_rules.offer(specs, facts, actor_id=user.pk, requester_id=requester_id)
            if offer.stage is not None:
                panel.offer = offer.stage
            elif offer.personal:
                panel.not_offered = offer.reason
        panels[item.pk] = panel
    return panels
