"""The only writers of requests, requested items, approvals and tasks. Each takes the actor,
runs in one transaction, writes the audit trail and publishes its events to the outbox.

A request follows its items (`rolled_up_state`): the services move the items and then roll the
request up through core.services.transition, so every move of the request is audited,
versioned and heard by the SLA engine like any ticket's.

Events published here besides the ticket events core publishes:
- request.approval_requested {item, stage, approvers}: a stage of an item waits for deciders;
- request.item_rejected {item, reason}: the requester hears why;
- task.opened {request}: a task's stage started, its group hears of it.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from catalog.models import CatalogItem, localized
from core import audit, events, services as core_services
from core.approval_rules import AlreadyDecided
from core.choices import ApprovalStatus, AuditAction, Decision
from core.exceptions import DomainError, PermissionRefused
from fulfilment import approvals as approval_rules
from fulfilment import deciders
from fulfilment.choices import FINISHED_TASK_STATES, ItemState, RequestState as S, TaskState as T
from fulfilment.models import Request, RequestApproval, RequestItem, Task

TITLE_LIMIT = 200


@dataclass
class OrderLine:
    """One item of an order: the catalog item (object or id), the answers, the quantity, and the
    uploaded files of its attachment fields ({field name: UploadedFile})."""

    catalog_item: object
    answers: dict = field(default_factory=dict)
    quantity: int = 1
    files: dict = field(default_factory=dict)


class NotOrderable(Http404):
    """The item does not exist, is inactive, or the requester may not order it: the same 404
    for all three, so nobody learns what exists behind an audience (a 404, never a 403)."""

    def __init__(self, index=None):
        super().__init__(_("No such catalog item."))
        self.index = index
        self.field = "catalog_item"


class LineError(DomainError):
    """A rule broken by one line of a multi-item order: `index` says which line (the API answers
    `{"items": [{}, {"quantity": [...]}]}`)."""

    def __init__(self, error, *, index):
        super().__init__(error.message, field=error.field, code=error.code)
        self.index = index
        self.error = error


def rolled_up_state(states):
    """The request's state from its items' states: any item awaiting approval holds the request
    there; otherwise any item being fulfilled keeps it in fulfilment; otherwise one delivered item
    makes it fulfilled (the rest rejected or cancelled); otherwise rejected, else cancelled."""
    states = set(states)
    if not states:
        return S.SUBMITTED
    if S.AWAITING_APPROVAL in states:
        return S.AWAITING_APPROVAL
    if S.IN_FULFILMENT in states or S.SUBMITTED in states:
        return S.IN_FULFILMENT
    if S.FULFILLED in states or S.CLOSED in states:
        return S.FULFILLED
    if S.REJECTED in states:
        return S.REJECTED
    return S.CANCELLED


def _quantity(value, item):
    try:
        quantity = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Quantity must be a whole number."), field="quantity", code="invalid") from None
    if isinstance(value, float) and value != quantity:
        raise DomainError(_("Quantity must be a whole number."), field="quantity", code="invalid")
    if quantity < 1 or quantity > item.max_quantity:
        raise DomainError(_("Quantity must be between 1 and %(max)s.") % {"max": item.max_quantity},
                          field="quantity", code="out_of_range")
    return quantity


def _validate_answers(item, answers, requester):
    from catalog import formschema

    return formschema.validate_answers(item, answers, user=requester)


def request_title(lines):
    """"노트북 신청 × 2, VPN 접근 권한": the items in the active language, with their quantities."""
    parts = [localized(item, "name") + (f" × {quantity}" if quantity > 1 else "") for item, quantity, _a in lines]
    title = ", ".join(parts)
    return title if len(title) <= TITLE_LIMIT else title[:TITLE_LIMIT - 1] + "…"


def _item_id(value):
    item_id = getattr(value, "pk", value)
    try:
        return int(item_id)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def submit_request(actor, *, lines, requested_for=None, description="", channel="portal"):
    """Validate every line (404 for an item the requester may not order), create the request,
    its items, their approval plans and (when nothing needs approval) the first stage's tasks.
    Raises DomainError naming the field, or catalog.formschema.AnswersInvalid. Returns the Request.

    With several lines, a line's error is raised as LineError / AnswersInvalid / NotOrderable
    carrying `index`, the line's position."""
    from catalog import formschema

    lines = list(lines or ())
    if not lines:
        raise DomainError(_("Choose at least one catalog item."), field="items", code="required")
    requested_for = requested_for or actor
    if not requested_for.is_active:
        raise DomainError(_("%(person)s cannot receive requests (the account is inactive).")
                          % {"person": requested_for}, field="requested_for", code="inactive")
    requester = actor
    if requested_for.pk != requester.pk and not roles.is_agent(requester):
        from core import pickers

        # Whom one may order for: whom the person picker offers them (the same rule as the form).
        if not pickers.get("person").options(requester).filter(pk=requested_for.pk).exists():
            raise DomainError(_("You cannot order for this person."), field="requested_for", code="not_allowed")
    ids = [_item_id(line.catalog_item) for line in lines]
    items = {item.pk: item for item in CatalogItem.objects.orderable_by(requester)
             .filter(pk__in=[i for i in ids if i is not None])
             .prefetch_related("approval_stages", "task_templates__assignment_group",
                               "task_templates__change_template")}
    multi = len(lines) > 1
    checked = []
    for index, (line, item_id) in enumerate(zip(lines, ids)):
        item = items.get(item_id)
        if item is None:
            raise NotOrderable(index if multi else None)
        try:
            quantity = _quantity(line.quantity, item)
            answers = _validate_answers(item, line.answers, requester)
        except DomainError as exc:
            raise (LineError(exc, index=index) if multi else exc) from None
        except formschema.AnswersInvalid as exc:
            exc.index = index if multi else None
            raise
        checked.append((item, quantity, answers, line))

    now = timezone.now()
    delivery = max([item.delivery_time for item, *_rest in checked if item.sla_from_delivery_time] or [0])
    request = core_services.create_ticket(
        Request, actor=actor, now=now, title=request_title([(i, q, a) for i, q, a, _l in checked]),
        description=(description or "").strip(), requested_by=requester, requested_for=requested_for,
        values={"channel": channel, "state": S.SUBMITTED, "delivery_target_hours": delivery}, channel=channel)

    group_ids = {s.group_id for item, *_rest in checked for s in item.approval_stages.all() if s.group_id}
    members = defaultdict(set)
    if group_ids:
        from accounts.models import Team

        for team_id, user_id in (Team.members.through.objects.filter(team_id__in=group_ids, user__is_active=True)
                                 .values_list("team_id", "user_id")):
            members[team_id].add(user_id)
    managers = approval_rules._Managers()
    # Before the items are written: an attachment answer is the stored file's name.
    _store_files(request, checked, actor=actor, channel=channel, now=now)
    request_items = []
    for item, quantity, answers, _line in checked:
        plan = approval_rules.build_plan(item.approval_stages.all(), requested_by=requester,
                                         requested_for=requested_for, group_members=members, managers=managers)
        request_items.append(RequestItem(request=request, catalog_item=item, quantity=quantity, answers=answers,
                                         approval_plan=plan, created_at=now, updated_at=now,
                                         state=ItemState.AWAITING_APPROVAL if plan else ItemState.IN_FULFILMENT))
    RequestItem.objects.bulk_create(request_items)
    CatalogItem.objects.filter(pk__in={item.pk for item, *_rest in checked}).update(
        times_ordered=F("times_ordered") + 1)

    for request_item in request_items:
        if request_item.state == ItemState.AWAITING_APPROVAL:
            _ask_for_approval(request, request_item, request_item.approval_plan[0], actor=actor, channel=channel,
                              now=now)
        else:
            _start_fulfilment(request, request_item, actor=actor, channel=channel, now=now)
    deciders.sync(request, request_items, [])
    return roll_up(request, actor=actor, channel=channel, now=now, items=request_items)


def _store_files(request, checked, *, actor, channel, now):
    """Attachment answers: the file becomes an attachment of the request, the answer its name."""
    for _item, _quantity, answers, line in checked:
        for name, upload in (line.files or {}).items():
            if upload is None:
                continue
            attachment = core_services.add_attachment(request, actor=actor, channel=channel, upload=upload, now=now)
            answers[name] = attachment.filename


def _ask_for_approval(request, item, stage, *, actor, channel, now):
    events.publish("request.approval_requested", request, actor=actor, channel=channel, at=now,
                   data={"item": item.pk, "stage": stage["order"], "stage_name": stage["name"],
                         "approvers": list(stage["eligible"])})


# --- fulfilment: tasks stage by stage --------------------------------------------------------

def _task_description(template, answers):
    lines = [template.instructions.strip()] if template.instructions.strip() else []
    needed = [(name, answers[name]) for name in (template.answer_fields or ()) if name in answers]
    if needed:
        lines.append("\n".join(f"{name}: {_answer_text(value)}" for name, value in needed))
    return "\n\n".join(lines)


def _answer_text(value):
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _start_fulfilment(request, item, *, actor, channel, now):
    """Create the item's tasks from its plan: the first stage's open, the later ones pending. An
    item whose plan has no step is delivered at once."""
    templates = sorted(item.catalog_item.task_templates.all(), key=lambda t: (t.stage, t.order, t.pk))
    if not templates:
        _set_item(item, state=ItemState.FULFILLED, now=now)
        return
    first = templates[0].stage
    item.state = ItemState.IN_FULFILMENT
    item.current_stage = first
    item.updated_at = now
    item.save(update_fields=["state", "current_stage", "updated_at"])
    for template in templates:
        opening = template.stage == first
        task = core_services.create_ticket(
            Task, actor=actor, channel=channel, now=now, title=localized(template, "name")[:TITLE_LIMIT],
            description=_task_description(template, item.answers), assignment_group=template.assignment_group,
            request=request, request_item=item, template=template, stage=template.stage,
            values={"state": T.OPEN if opening else T.PENDING, "opened_at": now if opening else None})
        if opening:
            _task_opened(task, actor=actor, channel=channel, now=now)


def _task_opened(task, *, actor, channel, now):
    """A task's stage started: a step that raises a standard change raises it now; its group hears."""
    template = task.template
    if template is not None and template.change_template_id and task.change_id is None:
        from changes import services as change_services

        request = task.request
        change = change_services.raise_standard_change(
            template.change_template, actor=actor, channel=channel, requested_by=request.requested_by,
            title=f"{request.number} {task.title}", assignment_group=task.assignment_group,
            description=_("Raised by %(task)s for %(request)s.") % {"task": task.number, "request": request.number}
            + ("\n\n" + task.description if task.description else ""))
        Task.objects.filter(pk=task.pk).update(change=change)
        task.change = change
        audit.record(task, actor=actor, channel=channel, action=AuditAction.LINKED, field="change", new=change.number,
                     at=now, context={"change_id": change.pk})
    events.publish("task.opened", task, actor=actor, channel=channel, at=now, data={"request": task.request_id})


def _set_item(item, *, now, **values):
    for name, value in values.items():
        setattr(item, name, value)
    item.updated_at = now
    item.save(update_fields=[*values, "updated_at"])


def _advance(request, item, *, actor, channel, now):
    """After a task finished: when every task of the item's current stage is done (or cancelled),
    open the next stage's tasks, or, after the last stage, deliver the item."""
    tasks = list(Task.objects.filter(request_item=item).select_related("template__change_template", "request",
                                                                        "assignment_group"))
    current = [t for t in tasks if t.stage == item.current_stage]
    if any(t.state not in (T.DONE, T.CANCELLED) for t in current):
        return False
    later = sorted({t.stage for t in tasks if t.stage > item.current_stage and t.state == T.PENDING})
    if not later:
        _set_item(item, state=ItemState.FULFILLED, now=now)
        return True
    _set_item(item, current_stage=later[0], now=now)
    for task in tasks:
        if task.stage == later[0] and task.state == T.PENDING:
            opened, _diff = core_services.transition(task, T.OPEN, actor=actor, channel=channel, is_agent=True, now=now)
            opened.template, opened.request = task.template, task.request
            _task_opened(opened, actor=actor, channel=channel, now=now)
    return True


def roll_up(request, *, actor, channel, now=None, items=None):
    """Move the request to the state its items add up to (core.services.transition: audited,
    versioned, heard by the SLA engine). Returns the request as it stands."""
    now = now or timezone.now()
    states = [i.state for i in items] if items is not None else list(request.items.values_list("state", flat=True))
    target = rolled_up_state(states)
    if target == request.state:
        return request
    moved, _diff = core_services.transition(request, target, actor=actor, channel=channel, is_agent=True, now=now)
    return moved


# --- approvals -------------------------------------------------------------------------------

@transaction.atomic
def decide(actor, request, *, decision, comment="", channel="web"):
    """The actor's approve/reject on every item of `request` whose current stage they may decide.

    A rejection needs its reason (it reaches the requester). Refusals: the requester or the
    person it is for (403), someone who already decided (409), nothing awaiting (400), not an
    approver of any waiting stage (403). Returns (the RequestApproval rows written, request)."""
    if decision not in Decision.values:
        raise DomainError(_("Decision must be approve or reject."), field="decision", code="invalid")
    locked = core_services.lock_for_update(request)
    if actor.pk in (locked.requested_by_id, locked.requested_for_id):
        raise PermissionRefused(str(approval_rules.WORDING.own))
    comment = (comment or "").strip()
    if decision == Decision.REJECT and not comment:
        raise DomainError(_("Say why the request is rejected."), field="comment", code="required")
    items = list(locked.items.filter(state=ItemState.AWAITING_APPROVAL).select_related("catalog_item")
                 .prefetch_related("catalog_item__task_templates__assignment_group",
                                   "catalog_item__task_templates__change_template")
                 .select_for_update(of=("self",)))
    approvals = list(RequestApproval.objects.filter(request_item__request=locked))
    if not items:
        if any(a.approver_id == actor.pk for a in approvals):
            raise AlreadyDecided(
                _("You have already given your decision on this request."), code="already_decided")
        raise DomainError(_("This request is not awaiting approval (it is %(state)s).")
                          % {"state": locked.get_state_display()}, field="state", code="not_awaiting")
    decidable, refusals = [], []
    for item in items:
        try:
            spec = approval_rules.check_can_decide(item, approvals, request=locked, actor_id=actor.pk,
                                                   decision=decision)
        except DomainError as exc:
            refusals.append(exc)
            continue
        decidable.append((item, spec))
    if not decidable:
        raise next((e for e in refusals if e.status_code == 409), refusals[0])
    now = timezone.now()
    written = []
    for item, spec in decidable:
        approval = RequestApproval.objects.create(
            request_item=item, round=item.approval_round, stage_order=spec.order, stage_name=spec.name,
            approver=actor, decision=decision, comment=comment, channel=channel, created_at=now)
        written.append(approval)
        approvals.append(approval)
        audit.record(locked, actor=actor, channel=channel, action=AuditAction.UPDATED, field="approval",
                     new=decision, at=now,
                     context={"reason": comment, "stage": spec.name, "item": item.pk,
                              "catalog_item": str(item.catalog_item), "approval_id": approval.pk})
        overall, _results, current = approval_rules.evaluate(item, approvals, request=locked)
        if overall == ApprovalStatus.APPROVED:
            _start_fulfilment(locked, item, actor=actor, channel=channel, now=now)
        elif overall == ApprovalStatus.REJECTED:
            _set_item(item, state=ItemState.REJECTED, rejection_reason=comment, now=now)
            events.publish("request.item_rejected", locked, actor=actor, channel=channel, at=now,
                           data={"item": item.pk, "reason": comment, "stage_name": spec.name})
        elif current is not None and current.spec.order != spec.order:
            stage = next(s for s in item.approval_plan if s["order"] == current.spec.order)
            _ask_for_approval(locked, item, stage, actor=actor, channel=channel, now=now)
    deciders.sync(locked, items, approvals)
    moved = roll_up(locked, actor=actor, channel=channel, now=now)
    if moved.version == locked.version:
        core_services.touch(moved, now=now)
    return written, moved


# --- tasks -----------------------------------------------------------------------------------

def _append_note(existing, text, *, author, at):
    stamp = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
    entry = f"[{stamp} · {author}]\n{text.strip()}"
    return f"{existing.rstrip()}\n\n{entry}" if (existing or "").strip() else entry


@transaction.atomic
def update_task(actor, task, *, state=None, notes=None, assigned_to=None, version=None, channel="web"):
    """Move a task (open → in progress → done/failed), add notes, assign it; rolls the item and the
    request up when a stage or the last task finishes.

    `notes` is appended (with its author and time), never replacing what is there. `assigned_to`
    is a user or None to leave it; pass `assigned_to=False` to unassign."""
    if not roles.is_agent(actor):
        raise PermissionRefused(_("Only service desk staff can work on fulfilment tasks."))
    locked = core_services.lock_for_update(task, version)
    now = timezone.now()
    changes = {}
    if notes is not None and str(notes).strip():
        changes["notes"] = _append_note(locked.notes, str(notes), author=actor, at=now)
    if assigned_to is not None:
        person = assigned_to or None
        core_services.assignment_changes(group=locked.assignment_group, person=person)
        changes["assigned_to"] = person
    if state is None or state == locked.state:
        if changes:
            locked, _diff = core_services.update_ticket(locked, actor=actor, channel=channel, changes=changes,
                                                        expected_version=locked.version, now=now)
        return locked
    if state not in T.values:
        raise DomainError(_("Unknown task state: %(state)s.") % {"state": state}, field="state", code="invalid")
    if locked.state == T.PENDING and state != T.CANCELLED:
        raise DomainError(
            _("This task belongs to stage %(stage)s, which starts when every task of the earlier stages is done.")
            % {"stage": locked.stage}, field="state", code="stage_not_started")
    if state == T.DONE and locked.change_id is not None:
        from changes.models import Change

        change = Change.objects.only("number", "state").get(pk=locked.change_id)
        if not Change.lifecycle.is_terminal(change.state) or Change.lifecycle.is_cancelled(change.state):
            raise DomainError(_("This task completes when its change %(number)s is closed.")
                              % {"number": change.number}, field="state", code="change_open")
    return _move_task(locked, state, actor=actor, channel=channel, changes=changes, now=now)


def _move_task(task, target, *, actor, channel, changes=None, now, reason=""):
    moved, _diff = core_services.transition(task, target, actor=actor, channel=channel, changes=changes,
                                            is_agent=True, now=now,
                                            audit_context={"reason": reason} if reason else None)
    request = Request.objects.get(pk=moved.request_id)
    if target == T.FAILED:
        # The item stays in fulfilment; the request's trail says which step failed.
        audit.record(request, actor=actor, channel=channel, action=AuditAction.UPDATED, field="task",
                     new=str(T.FAILED), at=now, context={"task": moved.number, "item": moved.request_item_id})
    if target in (T.DONE, T.CANCELLED):
        item = RequestItem.objects.select_for_update().get(pk=moved.request_item_id)
        if item.state == ItemState.IN_FULFILMENT and _advance(request, item, actor=actor, channel=channel, now=now):
            roll_up(request, actor=actor, channel=channel, now=now)
    return moved


def complete_for_change(change, *, actor, channel="system"):
    """The change a plan step raised was closed (done) or cancelled (the task failed)."""
    task = Task.objects.filter(change=change).first()
    if task is None or task.state in FINISHED_TASK_STATES or task.state == T.PENDING:
        return None
    from changes.models import Change

    now = timezone.now()
    if Change.lifecycle.is_cancelled(change.state):
        return _move_task(task, T.FAILED, actor=actor, channel=channel, now=now,
                          reason=_("Change %(number)s was cancelled.") % {"number": change.number})
    return _move_task(task, T.DONE, actor=actor, channel=channel, now=now,
                      reason=_("Change %(number)s was closed.") % {"number": change.number})


# --- the request as a whole ------------------------------------------------------------------

def _check_own_or_desk(actor, request):
    if roles.is_agent(actor):
        return
    if actor.pk not in (request.requested_by_id, request.requested_for_id):
        raise Http404


@transaction.atomic
def cancel_request(actor, request, *, reason="", version=None, channel="web"):
    """Withdraw an open request (its requester, the person it is for, or the desk): its unfinished
    items and tasks are cancelled with it."""
    _check_own_or_desk(actor, request)
    locked = core_services.lock_for_update(request, version)
    if locked.state not in (S.SUBMITTED, S.AWAITING_APPROVAL, S.IN_FULFILMENT):
        raise DomainError(_("Only an open request can be cancelled (it is %(state)s).")
                          % {"state": locked.get_state_display()}, field="state", code="not_open")
    now = timezone.now()
    reason = (reason or "").strip()
    RequestItem.objects.filter(request=locked, state__in=[S.SUBMITTED, S.AWAITING_APPROVAL, S.IN_FULFILMENT]).update(
        state=ItemState.CANCELLED, updated_at=now)
    deciders.clear(locked)
    raised = []
    for task in Task.objects.filter(request=locked).exclude(state__in=FINISHED_TASK_STATES):
        core_services.transition(task, T.CANCELLED, actor=actor, channel=channel, is_agent=True, now=now,
                                 audit_context={"reason": reason} if reason else None)
        if task.change_id is not None:
            raised.append(task)
    # After the tasks: the change's cancellation then finds its task finished and leaves it be
    # (wiring.change_finished would otherwise mark it failed).
    _withdraw_changes(locked, raised, actor=actor, channel=channel, reason=reason)
    moved, _diff = core_services.transition(locked, S.CANCELLED, actor=actor, channel=channel, is_agent=True,
                                            now=now, audit_context={"reason": reason} if reason else None)
    return moved


def _withdraw_changes(request, tasks, *, actor, channel, reason):
    """The standard changes the request's open steps raised: cancelled if not yet being implemented,
    else a work note for their implementers (changes.services.withdraw_raised_change)."""
    if not tasks:
        return
    from changes import services as change_services
    from changes.models import Change

    changes = Change.objects.in_bulk([t.change_id for t in tasks])
    for task in tasks:
        change = changes.get(task.change_id)
        if change is None:
            continue
        note = _("%(request)s was cancelled by %(person)s, so %(task)s no longer needs this change.") % {
            "request": request.number, "person": actor, "task": task.number}
        if reason:
            note += "\n\n" + _("Reason: %(reason)s") % {"reason": reason}
        change_services.withdraw_raised_change(change, actor=actor, channel=channel, reason=note)


@transaction.atomic
def close_request(actor, request, *, version=None, channel="web"):
    """Close a fulfilled request (its requester, the person it is for, or the desk)."""
    _check_own_or_desk(actor, request)
    locked = core_services.lock_for_update(request, version)
    if locked.state != S.FULFILLED:
        raise DomainError(_("Only a fulfilled request can be closed (it is %(state)s).")
                          % {"state": locked.get_state_display()}, field="state", code="not_fulfilled")
    moved, _diff = core_services.transition(locked, S.CLOSED, actor=actor, channel=channel, is_agent=True)
    return moved
