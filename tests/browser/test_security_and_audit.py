"""Information security incidents (issue 17) and the auditor's access log (issue 18) in a real
browser: a CERT member rates a flagged incident and records the regulator notification; an agent
outside the team is told it does not exist; an auditor's reads and refused write show in the
manager's access log. Screenshots at 1440 and 390 px, in English and Korean, land in test-artifacts/."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Team
from accounts.roles import Role
from conftest import PASSWORD, shots, sign_in
from core.choices import Channel
from incidents import security_services
from incidents.services import open_incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_security_panel_for_the_group_and_404_for_another_agent(page, login, make_user, agent, end_user,
                                                                     language):
    cert = Team.objects.create(name="CERT", is_security=True)
    member = make_user(Role.AGENT, username="cert_kim", display_name="Kim CERT")
    cert.members.add(member)
    incident = open_incident(actor=agent, channel=Channel.WEB, title="고객 DB 유출 의심 (Suspected customer DB leak)",
                             caller=end_user, description="Unusual export of the customer table at 03:12.")
    sign_in(page, login, agent, language)
    page.goto(f"/incidents/{incident.pk}/")
    page.get_by_test_id("flag-submit").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/incidents/")  # flagged: no longer the agent's to see
    assert page.goto(f"/incidents/{incident.pk}/").status == 404

    sign_in(page, login, member, language)
    page.goto(f"/incidents/{incident.pk}/")
    page.get_by_test_id("security-badge").wait_for()
    page.locator("summary", has_text="영향 평가" if language == "ko" else "Rate the impact").click()
    page.select_option("#id_confidentiality_impact", "high")
    page.select_option("#id_integrity_impact", "low")
    page.fill("#id_security_notes", "Forensic image taken; DB credentials rotated.")
    page.get_by_test_id("rate-submit").click()
    page.wait_for_load_state("networkidle")
    page.locator("summary", has_text="통지 기록하기" if language == "ko" else "Record a notification").click()
    page.select_option("#id_recipient", "pipc")
    page.fill("#id_recipient_detail", "개인정보 유출 신고")
    page.fill("#id_reference", "PIPC-2026-0042")
    page.get_by_test_id("notify-submit").click()
    page.wait_for_load_state("networkidle")
    assert "PIPC-2026-0042" in page.get_by_test_id("security-notifications").inner_text()
    page.locator("#security").scroll_into_view_if_needed()
    shots(page, f"security-panel-{language}")
    page.goto("/incidents/security/report/")
    assert page.get_by_test_id("security-incident-row").count() == 1
    shots(page, f"security-report-{language}")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_access_log_shows_what_an_auditor_did(page, login, make_user, manager, agent, end_user, language):
    auditor = make_user(Role.AUDITOR, username="iso_auditor", display_name="Lee Auditor",
                        valid_until=timezone.localdate() + dt.timedelta(days=14))
    incident = open_incident(actor=agent, channel=Channel.WEB, title="VPN drops every hour", caller=end_user)
    sign_in(page, login, auditor, language)
    page.goto("/incidents/?queue=all")
    page.goto(f"/incidents/{incident.pk}/")
    page.fill("#id_title", "changed by the auditor")
    page.get_by_test_id("save-incident").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("read-only-message").is_visible()
    shots(page, f"auditor-refused-{language}")

    sign_in(page, login, manager, language)
    page.goto("/accounts/access-log/")
    table = page.get_by_test_id("access-log-table").inner_text()
    assert f"/incidents/{incident.pk}/edit/" in table and "403" in table
    shots(page, f"access-log-{language}")
    assert PASSWORD  # the fixtures' password signs everyone in
