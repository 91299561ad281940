"""The fulfilment engine's rules, without HTTP: ordering, approvals, tasks stage by stage."""

import pytest
from django.http import Http404

from catalog.models import CatalogItem
from core.approval_rules import AlreadyDecided
from core.exceptions import DomainError, PermissionRefused, StaleVersion
from core.models import AuditEntry, OutboxEvent
from fulfilment import services
from fulfilment.choices import RequestState as S, TaskState as T
from fulfilment.models import Request, RequestItem, Task
from fulfilment.services import OrderLine, rolled_up_state
from fulfilment.tests.factories import group_stage, line_manager_stage, make_item

pytestmark = pytest.mark.django_db


def order(actor, *items, quantity=1, **kwargs):
    return services.submit_request(actor, lines=[OrderLine(i, {"model": "X1"}, quantity) for i in items],
                                   **kwargs)


# --- roll-up ---------------------------------------------------------------------------------

@pytest.mark.parametrize("states, expected", [
    ([S.AWAITING_APPROVAL, S.IN_FULFILMENT], S.AWAITING_APPROVAL),
    ([S.IN_FULFILMENT, S.FULFILLED], S.IN_FULFILMENT),
    ([S.REJECTED, S.REJECTED], S.REJECTED),
    ([S.FULFILLED, S.REJECTED, S.CANCELLED], S.FULFILLED),
    ([S.FULFILLED], S.FULFILLED),
    ([S.CANCELLED, S.REJECTED], S.REJECTED),
    ([S.CANCELLED], S.CANCELLED),
])
def test_request_follows_its_items(states, expected):
    assert rolled_up_state(states) == expected


# --- submission ------------------------------------------------------------------------------

def test_item_without_approval_goes_to_fulfilment_stage_by_stage(employee, hardware_team, network_team):
    item = make_item(plan=[(1, hardware_team, None), (1, network_team, None), (2, network_team, None)])
    request = order(employee, item, quantity=2)
    assert request.number.startswith("REQ") and request.state == S.IN_FULFILMENT
    assert request.requested_by == employee and request.requested_for == employee
    assert request.title.startswith("Laptop × 2") or request.title.startswith("노트북 신청 × 2")
    tasks = list(Task.objects.filter(request=request).order_by("stage", "pk"))
    assert [(t.stage, t.state) for t in tasks] == [(1, T.OPEN), (1, T.OPEN), (2, T.PENDING)]
    assert all(t.number.startswith("TSK") for t in tasks)
    assert "model: X1" in tasks[0].description
    assert CatalogItem.objects.get(pk=item.pk).times_ordered == 1
    assert RequestItem.objects.get(request=request).current_stage == 1


def test_title_names_every_item(employee):
    laptop, vpn = make_item(), make_item("VPN access", name_ko="VPN 접근 권한")
    request = services.submit_request(employee, lines=[OrderLine(laptop, {"model": "X1"}, quantity=2),
                                                       OrderLine(vpn, {"model": "X1"})])
    assert request.title == "Laptop × 2, VPN access"
    assert request.items.count() == 2


def test_item_the_requester_may_not_order_is_404_and_nothing_is_created(employee, hardware_team):
    hidden = make_item(available_to_everyone=False)
    inactive = make_item("Old", active=False)
    for item in (hidden, inactive, 999999):
        with pytest.raises(Http404):
            order(employee, item)
    with pytest.raises(services.NotOrderable) as info:
        services.submit_request(employee, lines=[OrderLine(make_item("Mouse"), {"model": "X1"}), OrderLine(hidden)])
    assert info.value.index == 1
    assert not Request.objects.exists()


@pytest.mark.parametrize("quantity", [0, -1, 11, 1_000_000, "two", 1.5])
def test_quantity_out_of_range_names_the_field(employee, quantity):
    with pytest.raises(DomainError) as info:
        order(employee, make_item(), quantity=quantity)
    assert info.value.field == "quantity"
    assert not Request.objects.exists()


def test_bad_line_of_a_cart_says_which_line(employee):
    with pytest.raises(services.LineError) as info:
        services.submit_request(employee, lines=[OrderLine(make_item(), {"model": "X1"}),
                                                 OrderLine(make_item("Pad"), {"model": "X1"}, quantity=0)])
    assert info.value.index == 1 and info.value.field == "quantity"
    assert not Request.objects.exists()


@pytest.mark.parametrize("answers, field", [
    ({}, "model"), ({"model": "Z9"}, "model"), ({"model": "X1", "colour": "red"}, "colour"),
    ({"model": "X1", "note": "x" * 201}, "note"),
])
def test_answers_that_break_the_form_name_the_field(employee, answers, field):
    from catalog.formschema import AnswersInvalid

    with pytest.raises(AnswersInvalid) as info:
        services.submit_request(employee, lines=[OrderLine(make_item(), answers)])
    assert field in info.value.errors and getattr(info.value, "index", None) is None
    with pytest.raises(AnswersInvalid) as info:
        services.submit_request(employee, lines=[OrderLine(make_item("A"), {"model": "X1"}),
                                                 OrderLine(make_item("B"), answers)])
    assert field in info.value.errors and info.value.index == 1
    assert not Request.objects.exists()


def test_answers_are_stored_cleaned(employee):
    request = order(employee, make_item())
    assert RequestItem.objects.get(request=request).answers == {"model": "X1"}


def test_empty_order_refused(employee):
    with pytest.raises(DomainError) as info:
        services.submit_request(employee, lines=[])
    assert info.value.field == "items"


def test_line_manager_approves_then_tasks_open(employee, boss, hardware_team):
    item = make_item(stages=[line_manager_stage()], plan=[(1, hardware_team, None)])
    request = order(employee, item)
    assert request.state == S.AWAITING_APPROVAL
    assert not Task.objects.filter(request=request).exists()
    plan = RequestItem.objects.get(request=request).approval_plan
    assert plan[0]["eligible"] == [boss.pk] and not plan[0]["fallback"]
    assert OutboxEvent.objects.filter(name="request.approval_requested").exists()
    written, request = services.decide(boss, request, decision="approve", comment="", channel="web")
    assert len(written) == 1 and request.state == S.IN_FULFILMENT and request.approved_at is not None
    assert Task.objects.get(request=request).state == T.OPEN


def test_no_line_manager_falls_to_managers(make_user, manager, hardware_team):
    from accounts.roles import Role

    orphan = make_user(Role.END_USER, username="orphan")
    request = order(orphan, make_item(stages=[line_manager_stage()], plan=[(1, hardware_team, None)]))
    stage = RequestItem.objects.get(request=request).approval_plan[0]
    assert stage["fallback"] and manager.pk in stage["eligible"] and orphan.pk not in stage["eligible"]
    _written, request = services.decide(manager, request, decision="approve")
    assert request.state == S.IN_FULFILMENT


def test_ordering_for_someone_else_keeps_both_out_of_the_approval(employee, boss, make_user, hardware_team):
    item = make_item(stages=[line_manager_stage()], plan=[(1, hardware_team, None)])
    # The boss orders for their report: the report's line manager is the boss, who placed it.
    request = order(boss, item, requested_for=employee)
    stage = RequestItem.objects.get(request=request).approval_plan[0]
    assert boss.pk not in stage["eligible"] and employee.pk not in stage["eligible"]
    with pytest.raises(PermissionRefused, match="never approves their own request"):
        services.decide(boss, request, decision="approve")
    with pytest.raises(PermissionRefused):
        services.decide(employee, request, decision="approve")


def test_group_stage_excludes_the_requester(make_user, hardware_team, security_board):
    member = security_board.members.first()
    request = order(member, make_item(stages=[group_stage(security_board, "all")], plan=[(1, hardware_team, None)]))
    stage = RequestItem.objects.get(request=request).approval_plan[0]
    assert member.pk not in stage["eligible"] and len(stage["eligible"]) == 2


# --- decisions -------------------------------------------------------------------------------

def test_stages_in_order_and_out_of_turn_refused(employee, boss, security_board, hardware_team):
    item = make_item(stages=[line_manager_stage(), group_stage(security_board)], plan=[(1, hardware_team, None)])
    request = order(employee, item)
    approver = security_board.members.first()
    with pytest.raises(PermissionRefused, match="not an approver"):
        services.decide(approver, request, decision="approve")
    _w, request = services.decide(boss, request, decision="approve")
    assert request.state == S.AWAITING_APPROVAL
    with pytest.raises(AlreadyDecided):
        services.decide(boss, request, decision="approve")
    assert OutboxEvent.objects.filter(name="request.approval_requested").count() == 2
    _w, request = services.decide(approver, request, decision="approve")
    assert request.state == S.IN_FULFILMENT
    with pytest.raises(AlreadyDecided):
        services.decide(approver, request, decision="approve")


def test_rejection_needs_a_reason_and_reaches_the_requester(employee, boss, hardware_team):
    request = order(employee, make_item(stages=[line_manager_stage()], plan=[(1, hardware_team, None)]))
    with pytest.raises(DomainError) as info:
        services.decide(boss, request, decision="reject", comment="  ")
    assert info.value.field == "comment"
    _w, request = services.decide(boss, request, decision="reject", comment="Budget frozen")
    assert request.state == S.REJECTED
    item = RequestItem.objects.get(request=request)
    assert item.state == S.REJECTED and item.rejection_reason == "Budget frozen"
    event = OutboxEvent.objects.get(name="request.item_rejected")
    assert event.data["reason"] == "Budget frozen"
    assert not Task.objects.filter(request=request).exists()
    with pytest.raises(AlreadyDecided):
        services.decide(boss, request, decision="approve")


def test_decision_must_be_approve_or_reject(employee, boss):
    request = order(employee, make_item(stages=[line_manager_stage()]))
    with pytest.raises(DomainError) as info:
        services.decide(boss, request, decision="maybe")
    assert info.value.field == "decision"


def test_not_awaiting_approval_is_refused(employee, boss, hardware_team):
    request = order(employee, make_item(plan=[(1, hardware_team, None)]))
    with pytest.raises(DomainError, match="not awaiting approval"):
        services.decide(boss, request, decision="approve")


def test_one_decision_covers_every_item_the_approver_may_decide(employee, boss, hardware_team, security_board):
    a = make_item(stages=[line_manager_stage()], plan=[(1, hardware_team, None)])
    b = make_item("Monitor", stages=[line_manager_stage()], plan=[(1, hardware_team, None)])
    c = make_item("Access", stages=[group_stage(security_board)], plan=[(1, hardware_team, None)])
    request = services.submit_request(employee, lines=[OrderLine(i, {"model": "T14"}) for i in (a, b, c)])
    written, request = services.decide(boss, request, decision="approve")
    assert len(written) == 2 and request.state == S.AWAITING_APPROVAL
    _w, request = services.decide(security_board.members.first(), request, decision="reject", comment="No")
    # Two items go ahead, one is rejected: the request is being fulfilled.
    assert request.state == S.IN_FULFILMENT
    assert Task.objects.filter(request=request).count() == 2


def test_quorum_stage(employee, security_board, hardware_team):
    request = order(employee, make_item(stages=[group_stage(security_board, "quorum", 2)],
                                        plan=[(1, hardware_team, None)]))
    first, second, _third = security_board.members.order_by("pk")
    _w, request = services.decide(first, request, decision="approve")
    assert request.state == S.AWAITING_APPROVAL
    _w, request = services.decide(second, request, decision="approve")
    assert request.state == S.IN_FULFILMENT


# --- tasks -----------------------------------------------------------------------------------

def test_stages_run_in_sequence_and_last_task_fulfils(employee, hardware_team, network_team):
    hw = hardware_team.members.first()
    net = network_team.members.first()
    request = order(employee, make_item(plan=[(1, hardware_team, None), (2, network_team, None)]))
    first, second = Task.objects.filter(request=request).order_by("stage")
    with pytest.raises(DomainError) as info:
        services.update_task(net, second, state=T.DONE)
    assert info.value.field == "state" and "stage 2" in str(info.value.message)
    first = services.update_task(hw, first, state=T.IN_PROGRESS, notes="Imaging", assigned_to=hw,
                                 version=first.version)
    assert first.assigned_to == hw and "Imaging" in first.notes and "hw1" in first.notes
    first = services.update_task(hw, first, state=T.DONE, notes="Delivered", version=first.version)
    assert "Imaging" in first.notes and "Delivered" in first.notes
    assert first.completed_at is not None
    second.refresh_from_db()
    assert second.state == T.OPEN and second.opened_at is not None
    assert Request.objects.get(pk=request.pk).state == S.IN_FULFILMENT
    services.update_task(net, second, state=T.DONE)
    request.refresh_from_db()
    assert request.state == S.FULFILLED and request.fulfilled_at is not None
    assert RequestItem.objects.get(request=request).state == S.FULFILLED


def test_stale_version_refused(employee, hardware_team):
    request = order(employee, make_item(plan=[(1, hardware_team, None)]))
    task = Task.objects.get(request=request)
    hw = hardware_team.members.first()
    services.update_task(hw, task, notes="one", version=task.version)
    with pytest.raises(StaleVersion):
        services.update_task(hw, task, notes="two", version=task.version)


def test_failed_task_keeps_the_item_in_fulfilment_and_can_be_retried(employee, hardware_team):
    request = order(employee, make_item(plan=[(1, hardware_team, None)]))
    task = Task.objects.get(request=request)
    hw = hardware_team.members.first()
    task = services.update_task(hw, task, state=T.FAILED, notes="Out of stock")
    request.refresh_from_db()
    assert request.state == S.IN_FULFILMENT
    assert AuditEntry.objects.filter(object_id=request.pk, field="task", new_value=T.FAILED).exists()
    task = services.update_task(hw, task, state=T.OPEN)
    services.update_task(hw, task, state=T.DONE)
    request.refresh_from_db()
    assert request.state == S.FULFILLED


def test_end_users_do_not_work_tasks(employee, hardware_team):
    request = order(employee, make_item(plan=[(1, hardware_team, None)]))
    with pytest.raises(PermissionRefused):
        services.update_task(employee, Task.objects.get(request=request), state=T.DONE)


def test_assignee_must_be_in_the_group(employee, hardware_team, network_team):
    request = order(employee, make_item(plan=[(1, hardware_team, None)]))
    with pytest.raises(DomainError) as info:
        services.update_task(hardware_team.members.first(), Task.objects.get(request=request),
                             assigned_to=network_team.members.first())
    assert info.value.field == "assigned_to"


def test_item_without_plan_is_fulfilled_at_once(employee):
    request = order(employee, make_item())
    assert request.state == S.FULFILLED


# --- cancel and close ------------------------------------------------------------------------

def test_cancel_cancels_items_and_tasks(employee, hardware_team):
    request = order(employee, make_item(plan=[(1, hardware_team, None), (2, hardware_team, None)]))
    request = services.cancel_request(employee, request, reason="Not needed", version=request.version)
    assert request.state == S.CANCELLED
    assert set(Task.objects.filter(request=request).values_list("state", flat=True)) == {T.CANCELLED}
    assert RequestItem.objects.get(request=request).state == S.CANCELLED
    with pytest.raises(DomainError):
        services.cancel_request(employee, request)


def test_strangers_cannot_cancel(employee, other_end_user, hardware_team):
    request = order(employee, make_item(plan=[(1, hardware_team, None)]))
    with pytest.raises(Http404):
        services.cancel_request(other_end_user, request)


def test_close_only_when_fulfilled(employee, hardware_team):
    request = order(employee, make_item(plan=[(1, hardware_team, None)]))
    with pytest.raises(DomainError, match="fulfilled"):
        services.close_request(employee, request)
    services.update_task(hardware_team.members.first(), Task.objects.get(request=request), state=T.DONE)
    request = services.close_request(employee, Request.objects.get(pk=request.pk))
    assert request.state == S.CLOSED and request.closed_at is not None


def test_everything_in_one_transaction(employee, hardware_team, monkeypatch):
    item = make_item(plan=[(1, hardware_team, None)])

    def boom(*args, **kwargs):
        raise RuntimeError("task creation failed")

    monkeypatch.setattr(services, "_task_opened", boom)
    with pytest.raises(RuntimeError):
        order(employee, item)
    assert not Request.objects.exists() and not RequestItem.objects.exists()
    assert CatalogItem.objects.get(pk=item.pk).times_ordered == 0


def test_an_attachment_answer_is_stored_with_the_file_name(employee):
    from django.core.files.uploadedfile import SimpleUploadedFile

    schema = {"type": "object", "properties": {
        "model": {"type": "string", "enum": ["X1"], "x-field": "choice"},
        "quote": {"type": "string", "x-field": "attachment"},
    }, "required": ["model"], "additionalProperties": False}
    ui = {"order": ["model", "quote"], "fields": {"model": {"label": "Model"}, "quote": {"label": "Quote"}}}
    item = make_item(form_schema=schema, form_ui=ui)
    upload = SimpleUploadedFile("quote.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
                                content_type="application/pdf")
    request = services.submit_request(employee, lines=[OrderLine(item, {"model": "X1"}, 1, {"quote": upload})])
    stored = RequestItem.objects.get(request=request)
    assert stored.answers == {"model": "X1", "quote": "quote.pdf"}
    assert [a.filename for a in request.attachments.all()] == ["quote.pdf"]
