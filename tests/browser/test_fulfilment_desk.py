"""The agents' desk for service requests in a real browser: the line manager approves from the
approvals inbox, two groups complete their tasks stage by stage (the second stage's task cannot
be worked before the first is done), and the request shows fulfilled. Screenshots at 1440 and
390 px, in English and Korean, land in test-artifacts/."""

import re

import pytest

from accounts.models import Team
from accounts.roles import Role
from catalog.models import ApproverKind, CatalogItem, Category, ItemApprovalStage, TaskTemplate
from conftest import shots, sign_in
from fulfilment import services
from fulfilment.models import Request, Task
from sla.tests.factories import make_definition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


FORM_SCHEMA = {"type": "object", "properties": {
    "model": {"type": "string", "enum": ["standard", "developer"], "x-field": "choice"},
    "reason": {"type": "string", "maxLength": 500, "x-field": "text"},
    "needs_bag": {"type": "boolean", "x-field": "yesno"},
}, "required": ["model"], "additionalProperties": False}
FORM_UI = {"order": ["model", "reason", "needs_bag"], "fields": {
    "model": {"label": "Laptop model", "label_ko": "노트북 모델",
              "choices": {"standard": {"label": "Standard", "label_ko": "표준형"},
                          "developer": {"label": "Developer", "label_ko": "개발자용"}}},
    "reason": {"label": "Business reason", "label_ko": "업무상 사유"},
    "needs_bag": {"label": "Carrying bag", "label_ko": "가방 필요"}}}


@pytest.fixture
def laptop_order(make_user, manager, agent, other_agent):
    hardware = Team.objects.create(name="Hardware")
    hardware.members.add(agent)
    imaging = Team.objects.create(name="Imaging")
    imaging.members.add(other_agent)
    shelf = Category.objects.create(name="Hardware", name_ko="하드웨어")
    item = CatalogItem.objects.create(category=shelf, name="Laptop", name_ko="노트북 신청", form_schema=FORM_SCHEMA,
                                      form_ui=FORM_UI)
    ItemApprovalStage.objects.create(item=item, order=1, name="Line manager", approver=ApproverKind.LINE_MANAGER)
    TaskTemplate.objects.create(item=item, stage=1, name="Order the laptop", name_ko="노트북 주문",
                                assignment_group=hardware, instructions="Order from the framework vendor.",
                                answer_fields=["model"])
    TaskTemplate.objects.create(item=item, stage=2, name="Image and hand over", name_ko="이미지 설치 및 전달",
                                assignment_group=imaging, instructions="Install the standard image.",
                                answer_fields=["needs_bag"])
    # Countdowns in the queues: the request's SLA and the groups' OLA (paused while pending).
    make_definition("Service requests", model=Request, targets={3: (60, 2400)}, pause_states=[])
    make_definition("Fulfilment OLA", model=Task, targets={3: (30, 480)}, agreement="ola", pause_states=["pending"])
    requester = make_user(Role.END_USER, username="minji", display_name="Kim Minji", manager=manager)
    return services.submit_request(requester, lines=[services.OrderLine(
        catalog_item=item, answers={"model": "developer", "reason": "New developer", "needs_bag": True})])


@pytest.mark.parametrize("language", ["en", "ko"])
def test_request_is_approved_and_fulfilled_stage_by_stage(page, login, manager, agent, other_agent, laptop_order,
                                                           language):
    req = laptop_order
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    tag = f"desk-requests-{language}"

    # the line manager finds the request in the approvals inbox
    sign_in(page, login, manager, language)
    page.goto("/approvals/")
    row = page.locator("[data-testid=approval-row][data-kind=request]")
    assert row.count() == 1 and req.number in row.inner_text()
    page.click(f"[data-testid=approval-link]:text('{req.number}')")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=answers]").first.inner_text().count("\n") >= 3
    approve = page.locator("[data-testid=approve]")
    assert ("Line manager" in approve.inner_text())
    shots(page, f"{tag}-request-to-approve")
    # a rejection without a reason is refused on the page
    page.click("[data-testid=reject]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=approval-form] .invalid-feedback").count() == 1
    page.click("[data-testid=approve]")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("[data-testid=state]", "data-state") == "in_fulfilment"
    assert page.locator("[data-testid=approval-form]").count() == 0
    shots(page, f"{tag}-request-approved")

    first, second = req.tasks.get(stage=1), req.tasks.get(stage=2)

    # the imaging agent's task waits for stage 1 and offers no action yet
    sign_in(page, login, other_agent, language)
    page.goto(f"/requests/tasks/{second.pk}/")
    assert page.is_visible("[data-testid=pending-reason]")
    assert page.locator("[data-testid=work-form]").count() == 0
    assert re.search(r"2", page.locator("[data-testid=stage]").inner_text())
    shots(page, f"{tag}-task-pending")

    # the hardware agent takes and completes stage 1 from the task queue
    sign_in(page, login, agent, language)
    page.goto("/requests/tasks/")
    assert page.locator("[data-testid=task-row]").count() == 1
    assert page.locator("[data-testid=task-row] [data-due]").count() == 2  # the OLA counts down (response, resolution)
    shots(page, f"{tag}-task-queue")
    page.click(f"[data-testid=task-row] a:text('{first.number}')")
    page.wait_for_load_state("networkidle")
    page.click("[data-testid=take]")
    page.wait_for_load_state("networkidle")
    page.click("[data-testid=action-in_progress]")
    page.wait_for_load_state("networkidle")
    page.fill("#id_notes", "Ordered: PO 4411")
    shots(page, f"{tag}-task-working")
    page.click("[data-testid=action-done]")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("[data-testid=state]", "data-state") == "done"
    assert "PO 4411" in page.locator("[data-testid=notes]").inner_text()

    # the imaging agent can now complete stage 2
    sign_in(page, login, other_agent, language)
    page.goto(f"/requests/tasks/{second.pk}/")
    assert page.locator("[data-testid=pending-reason]").count() == 0
    page.click("[data-testid=action-done]")
    page.wait_for_load_state("networkidle")

    # and the request shows fulfilled
    page.goto(f"/requests/{req.pk}/")
    assert page.get_attribute("[data-testid=state]", "data-state") == "fulfilled"
    assert page.get_attribute("[data-testid=item-state]", "data-state") == "fulfilled"
    shots(page, f"{tag}-request-fulfilled")
    page.goto("/requests/?queue=all")
    shots(page, f"{tag}-request-list")
    assert errors == []
