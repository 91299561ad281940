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


def test_on_a_phone_the_queue_shows_each_incident_as_a_card_with_its_title(page, login, agent, end_user):
    # given two incidents, one with a long Korean title
    make_definition("Gold 24×7", calendar=None, targets={1: (None, 60), 5: (None, 960)})
    long_title = "재택근무 중 VPN 접속이 안 됩니다 — 본사 인사팀 전원 영향, 재부팅 후에도 동일"
    services.open_incident(actor=agent, channel=Channel.WEB, title=long_title, caller=end_user, impact=1, urgency=1)
    services.open_incident(actor=agent, channel=Channel.WEB, title="Printer jam", caller=end_user, impact=3, urgency=3)
    login(agent)
    # when the agent opens the queue on a phone
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/incidents/?queue=open")
    row = page.get_by_test_id("incident-row").filter(has_text="VPN").first
    # then nothing scrolls sideways and the whole title is on screen, under the number, in the card
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    number, title = row.locator("td").nth(1).bounding_box(), row.locator("td.col-title").bounding_box()
    assert title["y"] > number["y"] and title["x"] >= 0 and title["x"] + title["width"] <= 390
    assert row.locator("td.col-title").is_visible() and long_title[:20] in row.locator("td.col-title").inner_text()
    # and the sort links stay reachable
    assert page.locator("[data-testid=incident-table] thead a", has_text="Priority").is_visible()
    screenshot(page, "incidents-queue-390", full_page=False)
    # on a wide screen the queue is still a table, the title beside the number
    page.set_viewport_size({"width": 1440, "height": 900})
    number, title = row.locator("td").nth(1).bounding_box(), row.locator("td.col-title").bounding_box()
    assert title["x"] > number["x"] + number["width"] and abs(title["y"] - number["y"]) < 40
