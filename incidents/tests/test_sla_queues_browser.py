"""Browser: the desk opens the breaching-soon tab and sees the P1 due in an hour; the SLA
dashboard's card lands on a list showing as many incidents as the card said."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import screenshot
from core.choices import Channel
from incidents import services
from sla import sweep as sla_sweep
from sla.tests.factories import make_definition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_breaching_soon_tab_and_dashboard_cards_agree_with_the_lists(page, login, agent, end_user):
    # given a 24×7 agreement (P1 resolved within 60 minutes, P5 within 960)
    make_definition("Gold 24×7", calendar=None, targets={1: (None, 60), 5: (None, 960)})
    now = timezone.now()
    due_soon = services.open_incident(actor=agent, channel=Channel.WEB, title="결제 서버 응답 없음", caller=end_user,
                                      impact=1, urgency=1, now=now)
    services.open_incident(actor=agent, channel=Channel.WEB, title="모니터 교체 요청", caller=end_user, impact=3,
                           urgency=3, now=now)
    for title in ("VPN 접속 장애", "그룹웨어 메일 지연"):
        services.open_incident(actor=agent, channel=Channel.WEB, title=title, caller=end_user, impact=1, urgency=1,
                               now=now - dt.timedelta(hours=2))
    sla_sweep.sweep(now=now)
    login(agent)
    # when the agent opens the breaching-soon tab
    page.goto("/incidents/?queue=open")
    tab = page.get_by_test_id("queue-breaching")
    assert tab.get_by_test_id("queue-count").inner_text() == "1"
    tab.click()
    page.wait_for_load_state("networkidle")
    # then the P1 due within the hour is listed, alone
    rows = page.get_by_test_id("incident-row")
    assert rows.count() == 1 and due_soon.number in rows.first.inner_text()
    screenshot(page, "incidents-breaching-soon")
    # when the agent follows the dashboard's "breached, still open" card
    page.goto("/sla/")
    card = page.get_by_test_id("sla-card-breached_open")
    number = int(card.get_by_test_id("sla-card-count").inner_text())
    card.click()
    page.wait_for_load_state("networkidle")
    # then the list shows as many incidents as the card said
    assert "queue=breached" in page.url
    assert number == 2 == page.get_by_test_id("incident-row").count()
    assert page.get_by_test_id("queue-breached").get_by_test_id("queue-count").inner_text() == "2"
