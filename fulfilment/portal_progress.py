"""What the portal tells a requester about their request, in their terms: who approves an item
(in words), how far each item has come (approval stages, fulfilment stages, tasks done), the
request's step indicator and their answers as they read them.

Plain functions of rows the view has already loaded, so each fact costs no query of its own.
"""

from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext as _, ngettext, pgettext

from catalog.models import localized
from core.choices import Decision
from fulfilment.choices import RequestState, TaskState

# --- who approves ---------------------------------------------------------------------------------


def _value(stage, name, default=None):
    if isinstance(stage, dict):
        return stage.get(name, default)
    return getattr(stage, name, default)


def _group_name(stage):
    if isinstance(stage, dict):
        return stage.get("group_name") or stage.get("group_label") or ""
    group = getattr(stage, "group", None)
    return str(group) if group is not None else ""


def approver_words(stage):
    """"Your line manager", "one member of Finance approvers", "2 members of …": a catalog stage
    or a request's approval plan entry, in words."""
    kind = _value(stage, "approver") or _value(stage, "approver_kind") or "line_manager"
    if kind == "line_manager":
        return _("your line manager")
    group = _group_name(stage) or _("the approver group")
    mode = _value(stage, "mode") or "any"
    if mode == "all":
        return _("every member of %(group)s") % {"group": group}
    if mode == "quorum":
        count = _value(stage, "quorum") or 1
        return ngettext("%(count)s member of %(group)s", "%(count)s members of %(group)s", count) % {
            "count": count, "group": group}
    return _("one member of %(group)s") % {"group": group}


def approval_summary(stages):
    """One sentence for the item page: nobody, or the stages in order."""
    stages = list(stages)
    if not stages:
        return _("No approval needed: fulfilment starts as soon as you submit.")
    words = [approver_words(stage) for stage in stages]
    if len(words) == 1:
        return _("Approved by %(who)s.") % {"who": words[0]}
    return _("Approved in %(count)s stages: %(stages)s.") % {
        "count": len(words), "stages": pgettext("list of approval stages", ", then ").join(words)}


# --- an item's progress ---------------------------------------------------------------------------

@dataclass
class ApprovalStageView:
    order: int
    name: str
    who: str
    status: str                      # pending | waiting | approved | rejected | skipped
    decisions: list = field(default_factory=list)   # RequestApproval rows of this stage
    reason: str = ""


@dataclass
class FulfilmentStageView:
    number: int                      # 1-based position among the item's stages
    total: int
    tasks: list
    status: str                      # waiting | active | done

    @property
    def done(self):
        return sum(1 for task in self.tasks if task.state == TaskState.DONE)


@dataclass
class ItemProgress:
    item: object
    approval_stages: list
    fulfilment_stages: list
    headline: str


_APPROVED_ITEM_STATES = {RequestState.IN_FULFILMENT, RequestState.FULFILLED, RequestState.CLOSED}


def _needed(stage):
    mode = _value(stage, "mode") or "any"
    if mode == "all":
        return max(len(_value(stage, "eligible", None) or _value(stage, "approvers", None) or []), 1)
    if mode == "quorum":
        return _value(stage, "quorum") or 1
    return 1


def approval_stages(request_item, approvals):
    """The item's approval plan with each stage's state, from the item and its decisions."""
    plan = sorted(request_item.approval_plan or [], key=lambda s: _value(s, "order") or 0)
    this_round = [a for a in approvals if a.round == request_item.approval_round]
    views, open_found = [], False
    for stage in plan:
        order = _value(stage, "order") or 0
        decisions = [a for a in this_round if a.stage_order == order]
        rejected = [a for a in decisions if a.decision == Decision.REJECT]
        approved = [a for a in decisions if a.decision == Decision.APPROVE]
        if rejected:
            status = "rejected"
        elif request_item.state in _APPROVED_ITEM_STATES or len(approved) >= _needed(stage):
            status = "approved"
        elif request_item.state in (RequestState.REJECTED, RequestState.CANCELLED):
            status = "skipped"
        elif not open_found:
            status, open_found = "pending", True
        else:
            status = "waiting"
        reason = rejected[0].comment if rejected else ""
        if status == "rejected" and not reason:
            reason = request_item.rejection_reason
        views.append(ApprovalStageView(order=order, name=_value(stage, "name") or "", who=approver_words(stage),
                                       status=status, decisions=decisions, reason=reason))
    return views


def fulfilment_stages(request_item, tasks, template_stages=()):
    """The item's fulfilment stages in order with their tasks; the number of stages is the plan's
    (the catalog templates), so stages whose tasks are not created yet still count."""
    numbers = sorted(set(template_stages) | {task.stage for task in tasks})
    total = len(numbers)
    views = []
    for position, number in enumerate(numbers, start=1):
        mine = sorted((t for t in tasks if t.stage == number), key=lambda t: t.pk)
        if mine and all(t.state in (TaskState.DONE, TaskState.CANCELLED) for t in mine):
            status = "done"
        elif request_item.current_stage == number or any(
                t.state in (TaskState.OPEN, TaskState.IN_PROGRESS, TaskState.FAILED) for t in mine):
            status = "active"
        elif request_item.state in (RequestState.FULFILLED, RequestState.CLOSED):
            status = "done"
        else:
            status = "waiting"
        views.append(FulfilmentStageView(number=position, total=total, tasks=mine, status=status))
    return views


def headline(request_item, approvals_view, stages_view):
    """One line under the item's name: where it stands now."""
    state = request_item.state
    if state == RequestState.REJECTED:
        return _("Rejected")
    if state == RequestState.CANCELLED:
        return _("Cancelled")
    if state in (RequestState.FULFILLED, RequestState.CLOSED):
        return _("Delivered")
    pending = next((s for s in approvals_view if s.status == "pending"), None)
    if pending is not None:
        return _("Waiting for approval by %(who)s") % {"who": pending.who}
    active = next((s for s in stages_view if s.status == "active"), None)
    if active is not None:
        return _("Stage %(number)s of %(total)s: %(done)s of %(count)s tasks done") % {
            "number": active.number, "total": active.total, "done": active.done, "count": len(active.tasks)}
    if state == RequestState.IN_FULFILMENT:
        return _("Being fulfilled")
    return _("Submitted")


def item_progress(request_item, *, approvals, tasks, template_stages=()):
    approvals_view = approval_stages(request_item, approvals)
    stages_view = fulfilment_stages(request_item, tasks, template_stages)
    return ItemProgress(item=request_item, approval_stages=approvals_view, fulfilment_stages=stages_view,
                        headline=headline(request_item, approvals_view, stages_view))


# --- the request's step indicator -----------------------------------------------------------------

STEPS = (RequestState.SUBMITTED, RequestState.AWAITING_APPROVAL, RequestState.IN_FULFILMENT,
         RequestState.FULFILLED)


@dataclass(frozen=True)
class Step:
    state: str
    label: str
    status: str      # done | current | todo | stopped | skipped


def request_steps(request, *, needs_approval=True):
    """submitted → awaiting approval → in fulfilment → fulfilled, each marked done, current or to
    do; a rejected or cancelled request marks where it stopped."""
    state = request.state
    reached = {
        RequestState.SUBMITTED: 0, RequestState.AWAITING_APPROVAL: 1, RequestState.IN_FULFILMENT: 2,
        RequestState.FULFILLED: 3, RequestState.CLOSED: 4,
    }
    stopped = state in (RequestState.REJECTED, RequestState.CANCELLED)
    if stopped:
        # How far it got: a rejection stops at the approval; a cancellation where it stood.
        at = 1 if state == RequestState.REJECTED else (
            2 if request.approved_at else (1 if needs_approval else 0))
    else:
        at = reached.get(state, 0)
    steps = []
    for index, step in enumerate(STEPS):
        if index == 1 and not needs_approval and not stopped and at >= 2:
            status = "skipped"
        elif index < at or (index == at and state in (RequestState.FULFILLED, RequestState.CLOSED)):
            status = "done"
        elif index == at:
            status = "stopped" if stopped else "current"
        else:
            status = "todo"
        steps.append(Step(state=str(step), label=str(step.label), status=status))
    return steps


# --- answers as the requester reads them ----------------------------------------------------------

def _ui_text(spec, key):
    english, korean = spec.get(key) or "", spec.get(f"{key}_ko") or ""
    if (get_language() or "").startswith("ko"):
        return korean or english
    return english or korean


def referenced_ids(item, answers):
    """The user and CI ids among the answers ({"user": {...}, "ci": {...}}), to look up in bulk."""
    found = {"user": set(), "ci": set()}
    properties = (item.form_schema or {}).get("properties") or {}
    for name, value in (answers or {}).items():
        kind = (properties.get(name) or {}).get("x-field")
        if kind in found and isinstance(value, int) and not isinstance(value, bool):
            found[kind].add(value)
    return found


def answer_rows(item, answers, *, names=None):
    """[(label, value as text)] in the form's order; `names` maps ("user"|"ci", id) → label."""
    names = names or {}
    schema = item.form_schema or {}
    properties = schema.get("properties") or {}
    ui = item.form_ui or {}
    fields = ui.get("fields") or {}
    order = [n for n in ui.get("order") or [] if n in properties] + [n for n in properties if n not in (
        ui.get("order") or [])]
    rows = []
    for name in order:
        if name not in (answers or {}):
            continue
        value = answers[name]
        if value in (None, "", []):
            continue
        spec = fields.get(name) or {}
        kind = (properties.get(name) or {}).get("x-field")
        choices = spec.get("choices") or {}
        if kind == "yesno" or isinstance(value, bool):
            text = _("Yes") if value else _("No")
        elif kind in ("user", "ci"):
            text = names.get((kind, value)) or str(value)
        elif isinstance(value, list):
            text = ", ".join(_ui_text(choices.get(v) or {}, "label") or str(v) for v in value)
        elif choices and str(value) in choices:
            text = _ui_text(choices[str(value)], "label") or str(value)
        else:
            text = str(value)
        rows.append((_ui_text(spec, "label") or (properties.get(name) or {}).get("title") or name, text))
    return rows


def localized_name(obj):
    return localized(obj, "name")
