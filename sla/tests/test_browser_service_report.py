"""Browser: a manager opens the monthly service report and reads the trend chart and the totals."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import screenshot
from core.choices import Channel
from incidents import services
from sla import sweep as sla_sweep
from sla.tests.factories import make_definition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_the_monthly_service_report(page, login, manager, agent, end_user, groupware):
    # given one incident on Groupware resolved in time, one breached, and one without a service
    make_definition("Gold 24×7", calendar=None, targets={3: (30, 120)})
    now = timezone.now()
    ok = services.open_incident(actor=agent, channel=Channel.WEB, title="프린터 연결 불가", caller=end_user,
                                impact=2, urgency=2, service=groupware, now=now - dt.timedelta(minutes=20))
    services.resolve(ok, actor=agent, channel=Channel.WEB, code="solved_permanently", notes="드라이버 재설치",
                     now=now - dt.timedelta(minutes=5))
    services.open_incident(actor=agent, channel=Channel.WEB, title="그룹웨어 메일 지연", caller=end_user, impact=2,
                           urgency=2, service=groupware, now=now - dt.timedelta(hours=3))
    services.open_incident(actor=agent, channel=Channel.WEB, title="VPN 접속 장애", caller=end_user, impact=2,
                           urgency=2, now=now - dt.timedelta(hours=3))
    sla_sweep.sweep(now=now)
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    login(manager)
    # when
    page.goto("/sla/reports/service/")
    # then: the chart with its legend, the same numbers in a table, and the totals
    chart = page.get_by_test_id("trend-chart")
    assert chart.is_visible()
    assert chart.locator("rect.trend-opened").count() == 12 + 1  # twelve months and the legend's swatch
    assert "Backlog at month end" in page.get_by_test_id("trend-legend").text_content()
    assert page.get_by_test_id("trend-table").locator("tbody tr").count() == 12
    rows = page.get_by_test_id("service-table").locator("tbody th").all_inner_texts()
    assert rows == ["Groupware", "No service recorded"]
    total = page.get_by_test_id("service-total").locator("td").all_inner_texts()
    assert total[:3] == ["3", "1", "2"]  # opened, resolved, backlog
    assert not violations
    screenshot(page, "sla-monthly-service-report")
    # and one service's own trend and targets
    page.get_by_test_id("service-table").locator("a", has_text="Groupware").click()
    page.wait_for_load_state("networkidle")
    assert "Groupware" in page.get_by_test_id("trend").locator(".card-header").inner_text()
    assert "Gold 24×7" in page.get_by_test_id("target-table").inner_text()
