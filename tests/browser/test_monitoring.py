"""Event management in a real browser (issue 15): the alert console, an alert's event history and
the incident page's suspected changes, where the agent links one as the cause. Screenshots at
1440 and 390 px, in English and Korean, land in test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from changes import services as change_services
from changes.models import Change
from cmdb.tests.factories import make_ci, relate
from conftest import shots, sign_in
from core.choices import Channel
from monitoring.ingest import IncomingEvent, ingest
from monitoring.models import IncidentRule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def storm(agent, settings):
    settings.MONITORING_HOLD_DOWN_MINUTES = 0
    service = make_ci("Payroll", "business_service")
    web = make_ci("payroll-web", "application")
    vm = make_ci("vm-payroll-01", "virtual_machine")
    relate(service, web, "depends_on")
    relate(web, vm, "runs_on")
    IncidentRule.objects.create(name="critical", min_severity="critical", impact=1, urgency=1)
    change = change_services.create_change(actor=agent, channel=Channel.WEB, title="Resize vm-payroll-01",
                                           affected_cis=[vm])
    Change.objects.filter(pk=change.pk).update(state="review", actual_start=timezone.now() - timedelta(hours=2),
                                               actual_end=timezone.now() - timedelta(hours=1))
    for i in range(3):
        outcome = ingest(IncomingEvent(source="prometheus", node="payroll-web:9100", ci="payroll-web",
                                       check="HTTPDown", severity="critical", status="firing", fingerprint="am:1",
                                       message="payroll-web answers 503", labels={"job": "blackbox"}), actor=agent)
    ingest(IncomingEvent(source="prometheus", ci="vm-payroll-01", check="HighCPU", severity="critical",
                         status="firing", fingerprint="am:2"), actor=agent)
    ingest(IncomingEvent(source="zabbix", node="unknown-host", check="ping", severity="warning", status="firing"),
           actor=agent)
    return outcome.incident_id, change


@pytest.mark.parametrize("language", ["en", "ko"])
def test_alert_console_and_suspected_changes(page, login, agent, storm, language):
    incident_id, change = storm
    sign_in(page, login, agent, language)
    page.goto("/alerts/")
    assert page.locator("[data-testid=alert-table] tbody tr").count() == 3
    shots(page, f"monitoring-console-{language}")
    page.locator("[data-testid=alert-table] a", has_text="HTTPDown").click()
    assert page.locator("[data-testid=event-table] tbody tr").count() == 3
    shots(page, f"monitoring-alert-{language}")
    page.goto(f"/incidents/{incident_id}/")
    panel = page.locator("[data-testid=monitoring-panel]")
    assert panel.locator("[data-testid=incident-alerts] li").count() == 2
    assert change.number in panel.inner_text()
    panel.locator("button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=monitoring-panel] .badge.text-bg-danger").count() >= 1
    assert Change.objects.get(pk=change.pk).caused_incidents.filter(pk=incident_id).exists()
    shots(page, f"monitoring-incident-{language}")
    page.goto("/alerts/rules/")
    shots(page, f"monitoring-rules-{language}")
