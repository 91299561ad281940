"""Browser journeys: an agent works an incident; an end user files one in the portal and sees it."""

import pytest

from conftest import screenshot
from core.choices import Channel
from incidents import services
from incidents.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_works_an_incident(page, login, agent, end_user, team):
    incident = services.open_incident(actor=end_user, channel=Channel.PORTAL, title="그룹웨어 메일 발송 실패",
                                      description="오전 9시부터 외부 메일이 발송되지 않습니다.", urgency=1)
    login(agent)
    page.goto("/incidents/?queue=open")
    assert page.get_by_test_id("incident-row").count() == 1
    screenshot(page, "incidents-queue")
    page.click(f"text={incident.number}")
    page.get_by_test_id("take").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("state").inner_text().strip() == "In progress"
    page.fill("#id_body", "SMTP 릴레이 재시작 중입니다.")
    page.get_by_test_id("post-comment").click()
    page.wait_for_load_state("networkidle")
    page.select_option("#id_state", "resolved")
    page.select_option("#id_resolution_code", "solved_workaround")
    page.fill("#id_resolution_notes", "SMTP 릴레이를 재시작했습니다.")
    page.get_by_test_id("apply-transition").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "incidents-record")
    incident.refresh_from_db()
    assert (incident.state, incident.assigned_to) == ("resolved", agent)
    assert "SMTP 릴레이 재시작 중입니다." in page.get_by_test_id("timeline").inner_text()


def test_end_user_files_an_incident_in_the_portal(page, login, end_user):
    login(end_user)
    page.goto("/portal/new/")
    page.fill("#id_title", "노트북 Wi-Fi 연결이 자주 끊깁니다")
    page.fill("#id_description", "회의실 3층에서만 발생합니다.")
    page.check("input[name=urgency][value='2']")
    screenshot(page, "portal-form")
    page.get_by_test_id("submit-report").click()
    page.wait_for_load_state("networkidle")
    incident = Incident.objects.get()
    assert page.url.endswith(incident.get_portal_url())
    screenshot(page, "portal-detail")
    page.goto("/portal/")
    assert incident.number in page.get_by_test_id("my-tickets").inner_text()
    screenshot(page, "portal-home")
