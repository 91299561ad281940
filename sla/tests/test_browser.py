"""Browser: a manager reads the SLA dashboard, the breach list, a clock's timeline and the service report."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import screenshot
from core.choices import Channel
from incidents import services
from sla import sweep as sla_sweep
from sla.tests.factories import make_definition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_service_levels(page, login, manager, agent, end_user, groupware):
    # given a 24×7 agreement, one incident resolved in time and two that breached
    make_definition("Gold 24×7", calendar=None, targets={3: (30, 120), 2: (15, 60)})
    now = timezone.now()
    ok = services.open_incident(actor=agent, channel=Channel.WEB, title="프린터 연결 불가", caller=end_user,
                                impact=2, urgency=2, now=now - dt.timedelta(minutes=20))
    services.transition(ok, actor=agent, channel=Channel.WEB, target="in_progress", now=now - dt.timedelta(minutes=15))
    services.resolve(ok, actor=agent, channel=Channel.WEB, code="solved_permanently", notes="드라이버 재설치",
                     now=now - dt.timedelta(minutes=5))
    for title in ("VPN 접속 장애", "그룹웨어 메일 지연"):
        late = services.open_incident(actor=agent, channel=Channel.WEB, title=title, caller=end_user, impact=2,
                                      urgency=2, service=groupware, now=now - dt.timedelta(hours=3))
    services.transition(late, actor=agent, channel=Channel.WEB, target="on_hold", on_hold_reason="awaiting_caller",
                        now=now - dt.timedelta(minutes=100))
    services.transition(late, actor=agent, channel=Channel.WEB, target="in_progress",
                        now=now - dt.timedelta(minutes=40))
    sla_sweep.sweep(now=now)
    login(manager)
    # when
    page.goto("/sla/")
    # then
    assert page.get_by_test_id("sla-live").is_visible()
    assert "Gold 24×7" in page.get_by_test_id("compliance-table").inner_text()
    screenshot(page, "sla-dashboard")
    page.goto("/sla/breaches/")
    assert page.get_by_test_id("breach-table").locator("tbody tr").count() == 4
    screenshot(page, "sla-breaches")
    page.get_by_test_id("breach-table").locator("a", has_text="Timeline").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("clock-timeline").is_visible()
    screenshot(page, "sla-clock-timeline")
    page.goto("/sla/reports/?by=priority")
    assert "P3" in page.get_by_test_id("compliance-table").inner_text()
    page.goto("/sla/reports/service/")
    page.get_by_test_id("service-table").locator("a", has_text="Groupware").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("report-meta").is_visible()
    assert "Gold 24×7" in page.get_by_test_id("service-detail").inner_text()
    screenshot(page, "sla-service-report")
    page.goto(f"/incidents/{late.pk}/")
    assert page.get_by_test_id("sla").is_visible()
    screenshot(page, "sla-incident-badges")
