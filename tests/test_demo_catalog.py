"""The issue-13 demo: a realistic bilingual catalog and requests in every state (seed_demo)."""

import io

import pytest
from django.core.management import call_command
from django.db.models import F

from accounts.models import Team, User
from catalog.formschema import check_form_definition
from catalog.models import CatalogItem, Category, ItemApprovalStage, TaskTemplate
from fulfilment.choices import RequestState, TaskState
from fulfilment.models import Request, RequestApproval, RequestItem, Task

pytestmark = pytest.mark.django_db

SMALL = ["--cis", "30", "--relationships", "40", "--changes", "2"]
MODULES = ["--only", "accounts", "cmdb", "changes", "catalog", "fulfilment"]
FIELD_TYPES = {"text", "number", "date", "choice", "multichoice", "user", "ci", "attachment", "yesno"}


def _seed(*options):
    out = io.StringIO()
    call_command("seed_demo", *MODULES, *SMALL, *options, stdout=out)
    return out.getvalue()


def _counts():
    return {model.__name__: model.objects.count() for model in (
        Category, CatalogItem, ItemApprovalStage, TaskTemplate, Request, RequestItem, RequestApproval, Task, Team)}


def test_the_demo_catalog_has_a_realistic_bilingual_catalog_and_requests_in_every_state():
    output = _seed()
    assert "skipped" not in output  # every scripted story went through the services

    # the catalog: six shelves, some with sub-shelves, 25+ items in both languages
    assert Category.objects.filter(parent=None).count() >= 6
    assert Category.objects.exclude(parent=None).exists()
    items = list(CatalogItem.objects.prefetch_related("approval_stages", "task_templates"))
    assert len(items) >= 25
    assert len({item.category.parent_id or item.category_id for item in items}) >= 6
    assert all(item.name and item.name_ko and item.summary_ko and item.description_ko and item.icon for item in items)
    assert {"노트북 신청", "계정 생성", "VPN 접근 권한", "소프트웨어 설치", "출입카드 발급", "공용 메일함", "방화벽 정책 변경",
            "비밀번호 초기화", "모니터 신청"} <= {item.name_ko for item in items}
    assert any(item.service_id for item in items)
    # every form is sound, and the catalog uses every field type and conditional fields
    for item in items:
        assert check_form_definition(item.form_schema, item.form_ui) == [], item.name
    kinds = {schema["x-field"] for item in items for schema in item.form_schema["properties"].values()}
    assert FIELD_TYPES <= kinds
    assert any(hints.get("widget") == "textarea" for item in items for hints in item.form_ui["fields"].values())
    assert sum("show_if" in hints for item in items for hints in item.form_ui["fields"].values()) >= 5
    # every approval shape
    shapes = {tuple((s.approver, s.mode) for s in item.approval_stages.all()) for item in items}
    assert () in shapes and (("line_manager", "any"),) in shapes
    assert {("group", "any"), ("group", "all"), ("group", "quorum")} <= {
        (s.approver, s.mode) for item in items for s in item.approval_stages.all()}
    assert any(len(shape) == 2 for shape in shapes)
    # plans: one to three stages, parallel tasks in a stage, a step raising a standard change
    stages = {item.pk: [t.stage for t in item.task_templates.all()] for item in items}
    assert all(stages.values()) and max(max(s) for s in stages.values()) == 3
    assert any(len(s) != len(set(s)) for s in stages.values())
    assert TaskTemplate.objects.exclude(change_template=None).filter(item__name="Firewall rule change").exists()
    assert {"IT Asset Management", "Identity & Access", "Network Operations", "Facilities"} <= set(
        TaskTemplate.objects.values_list("assignment_group__name", flat=True))
    # audience: most for everyone, a few for chosen organisations or groups
    restricted = [item for item in items if not item.available_to_everyone]
    assert 1 <= len(restricted) <= 5
    assert CatalogItem.objects.filter(name__startswith="Leaver", organisations__code="hr").exists()
    # end users have a line manager: the demo manager
    assert User.objects.get(username="enduser").manager.username == "manager"
    assert not User.objects.filter(groups__name="end_user", manager=None).exists()

    # requests in every state, tasks in every state
    assert set(Request.objects.values_list("state", flat=True)) == set(RequestState.values)
    assert set(Task.objects.values_list("state", flat=True)) == set(TaskState.values)
    several = [r for r in Request.objects.prefetch_related("items") if len(r.items.all()) > 1]
    assert several
    assert Request.objects.exclude(requested_by=F("requested_for")).exists()
    assert RequestApproval.objects.filter(decision="approve").exists()
    assert RequestApproval.objects.filter(decision="reject").exists()
    assert RequestItem.objects.filter(state="rejected").exclude(rejection_reason="").exists()
    assert Task.objects.exclude(change=None).exists()
    assert all(r.number.startswith("REQ") for r in Request.objects.all())
    # the request SLA and the task OLA run on them
    from sla.models import SLAClock

    assert SLAClock.objects.filter(definition__name__startswith="Service requests", object_id__in=Request.objects.values(
        "pk")).exists()
    assert SLAClock.objects.filter(definition__agreement="ola", definition__name__contains="tasks").exists()

    # idempotent: a second run adds nothing
    before = _counts()
    _seed()
    assert _counts() == before


def test_the_korean_demo_names_its_stages_teams_and_instructions_in_korean():
    call_command("seed_demo", "--only", "accounts", "catalog", *SMALL, "--language", "ko", stdout=io.StringIO())
    assert {"IT 자산 관리", "계정 관리", "시설 관리"} <= set(Team.objects.values_list("name", flat=True))
    assert ItemApprovalStage.objects.filter(name="소속 관리자").exists()
    laptop = CatalogItem.objects.get(name_ko="노트북 신청")
    first = laptop.task_templates.order_by("stage").first()
    assert first.instructions.startswith("선택한 모델을") and first.assignment_group.name == "IT 자산 관리"


def test_the_benchmark_size_is_set_based_with_three_tasks_per_request():
    call_command("seed_demo", "--only", "accounts", "catalog", "fulfilment", *SMALL, "--catalog_items", "70",
                 "--requests", "600", stdout=io.StringIO())
    assert CatalogItem.objects.count() == 70
    assert CatalogItem.objects.filter(name="New laptop (Seoul HQ)", name_ko="노트북 신청 (서울 본사)").exists()
    assert not CatalogItem.objects.filter(search_vector=None).exists()
    assert Request.objects.count() == 600
    assert Task.objects.count() == 3 * 600
    assert set(Request.objects.values_list("state", flat=True)) == set(RequestState.values)
    assert not Request.objects.filter(search_vector=None).exists()
    assert Request.objects.values("number").distinct().count() == 600
    # in fulfilment: the current stage has work left; later stages wait
    for item in RequestItem.objects.filter(state="in_fulfilment").prefetch_related("tasks")[:50]:
        current = [t.state for t in item.tasks.all() if t.stage == item.current_stage]
        assert current and any(state != "done" for state in current)
        assert all(t.state == "pending" for t in item.tasks.all() if t.stage > item.current_stage)
    # a second run adds nothing
    call_command("seed_demo", "--only", "accounts", "catalog", "fulfilment", *SMALL, "--catalog_items", "70",
                 "--requests", "600", stdout=io.StringIO())
    assert Request.objects.count() == 600 and CatalogItem.objects.count() == 70
