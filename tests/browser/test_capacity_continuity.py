"""Capacity and continuity in a real browser (issue 17, items 5 and 6): a CI page with a year of
disk readings, its chart and forecast; the capacity report; a DRP whose service had a high-risk
change demands a re-test, and recording a passing test in the form clears it. Screenshots at 1440
and 390 px, in English and Korean, land in test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from capacity import services as capacity_services
from changes import services as change_services
from changes.choices import ChangeState as S, Outcome, Risk
from changes.tests.factories import make_change, to_authorize
from cmdb.tests.factories import make_ci, relate
from conftest import shots, sign_in
from continuity import services as continuity_services
from continuity.models import ContinuityPlan
from core import outbox
from core import services as core_services
from core.choices import Channel
from documents.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _estate(agent, manager):
    service = make_ci("Payroll", "business_service", criticality=1)
    database = make_ci("payroll-db", "database")
    relate(service, database, "depends_on")
    now = timezone.now()
    readings = [{"ci": database.pk, "metric": "disk_used_gb", "unit": "GB", "value": 120 + 0.9 * i + (i % 7),
                 "at": now - timedelta(days=365 - i)} for i in range(365)]
    readings += [{"ci": database.pk, "metric": "cpu_percent", "unit": "%", "value": 30 + (i % 11) * 3,
                  "at": now - timedelta(days=30 - i)} for i in range(30)]
    capacity_services.record_samples(readings, actor=agent, now=now)
    disk = database.capacity_metrics.get(key="disk_used_gb")
    capacity_services.update_metric(disk, actor=agent, channel=Channel.WEB,
                                    changes={"maximum": 500, "warning_threshold": 400, "critical_threshold": 450})
    document = core_services.create_ticket(Document, actor=agent, channel=Channel.WEB, title="Payroll DRP", kind="drp")
    plan = continuity_services.create_plan(
        actor=agent, channel=Channel.WEB, document=document, services=[service], rto_minutes=240, rpo_minutes=15,
        test_interval_days=180, invocation_criteria="Primary data centre down for more than 30 minutes.",
        contacts=[{"name": "Kim Min-jun", "role": "Recovery lead", "phone": "010-1234-5678"}],
        steps=["Declare the disaster", "Switch DNS to the DR site", "Restore the database", "Check with the owner"])
    continuity_services.record_test(plan, actor=agent, channel=Channel.WEB,
                                    date=timezone.localdate() - timedelta(days=200), kind="tabletop", result="passed")
    change = to_authorize(make_change(agent, cis=[database], title="Upgrade payroll-db to PostgreSQL 18"), agent,
                          risk=Risk.HIGH)
    _approval, change = change_services.decide_approval(change, actor=manager, channel=Channel.WEB, decision="approve")
    change = change_services.transition_change(change, actor=agent, channel=Channel.WEB, target=S.IMPLEMENT)
    change_services.transition_change(change, actor=agent, channel=Channel.WEB, target=S.REVIEW,
                                      outcome=Outcome.SUCCESSFUL)
    outbox.deliver_due()
    return database, plan, change


def test_capacity_and_continuity_pages(page, login, agent, manager):
    database, plan, change = _estate(agent, manager)
    for language in ("en", "ko"):
        sign_in(page, login, agent, language)
        page.goto(database.get_absolute_url())
        panel = page.get_by_test_id("capacity-panel")
        panel.scroll_into_view_if_needed()
        page.wait_for_selector('canvas[data-capacity-chart][data-drawn="true"]')
        assert panel.get_by_test_id("capacity-metric-disk_used_gb").is_visible()
        shots(page, f"capacity-ci-{language}")
        page.goto("/capacity/")
        assert "payroll-db" in page.get_by_test_id("capacity-table").inner_text()
        shots(page, f"capacity-report-{language}")
        page.goto("/continuity/")
        shots(page, f"continuity-list-{language}")

    # the re-test: shown on the plan, cleared by a passing test recorded in the form
    sign_in(page, login, agent, "en")
    page.goto(f"/continuity/{plan.pk}/")
    banner = page.get_by_test_id("retest-banner")
    assert change.number in banner.inner_text()
    shots(page, "continuity-retest-en")
    form = page.get_by_test_id("test-form")
    form.locator("#id_date").fill(str(timezone.localdate()))
    form.locator("#id_kind").select_option("simulation")
    form.locator("#id_result").select_option("passed")
    form.locator("#id_rto_achieved_minutes").fill("190")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("retest-banner").count() == 0
    assert not ContinuityPlan.objects.get(pk=plan.pk).retest_required
    shots(page, "continuity-retested-en")
    sign_in(page, login, agent, "ko")
    page.goto(f"/continuity/{plan.pk}/")
    shots(page, "continuity-plan-ko")
