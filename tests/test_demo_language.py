"""`seed_demo --language ko` (or LANGUAGE_CODE=ko) seeds the demo's names in Korean (issue 11, item 11)."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import Organisation, Team
from changes.models import ApprovalPolicy, ApprovalStage
from incidents.models import AssignmentRule, Category
from sla.models import BusinessCalendar, SLADefinition

pytestmark = pytest.mark.django_db

SMALL = ["--cis", "30", "--relationships", "40", "--incidents", "12", "--problems", "2", "--changes", "4",
         "--releases", "1"]


def _seed(*options):
    call_command("seed_demo", *SMALL, *options, stdout=io.StringIO())


def test_the_korean_demo_names_its_categories_agreements_policies_and_organisations_in_korean():
    _seed("--language", "ko")
    assert {"네트워크", "하드웨어", "비밀번호 / 계정 잠금"} <= set(Category.objects.values_list("name", flat=True))
    assert "재무팀" in set(Organisation.objects.values_list("name", flat=True))
    assert {"서비스 데스크", "네트워크 운영", "변경 자문 위원회(CAB)"} <= set(Team.objects.values_list("name", flat=True))
    assert "인시던트 긴급 SLA (P1, 24시간)" in set(SLADefinition.objects.values_list("name", flat=True))
    assert "OLA: 네트워크 운영" in set(SLADefinition.objects.values_list("name", flat=True))
    assert "한국 사무실 09:00–18:00" in set(BusinessCalendar.objects.values_list("name", flat=True))
    assert "일반 변경, 낮은 위험: 변경 관리자" in set(ApprovalPolicy.objects.values_list("name", flat=True))
    # The routing and the change-manager role still find their teams and stages by the Korean names.
    assert AssignmentRule.objects.filter(assignment_group__name="네트워크 운영").exists()
    assert ApprovalStage.objects.filter(name="변경 관리자", managers_decide=True).exists()
    assert not Category.objects.filter(name="Network").exists()
    # the business services people report against and the people themselves
    from accounts.models import User
    from cmdb.models import ConfigurationItem

    assert ConfigurationItem.objects.filter(name="인터넷뱅킹", ci_class__slug="business_service").exists()
    assert User.objects.filter(display_name="김민준", username="kim.minjun").exists()


@override_settings(LANGUAGE_CODE="ko")
def test_language_code_ko_seeds_korean_without_the_option():
    call_command("seed_demo", "--only", "accounts", *SMALL, stdout=io.StringIO())
    assert Team.objects.filter(name="보안 운영").exists()


def test_the_default_demo_stays_english():
    call_command("seed_demo", "--only", "accounts", "incidents", *SMALL, stdout=io.StringIO())
    assert Category.objects.filter(name="Network").exists()
    assert Team.objects.filter(name="Service Desk").exists()
