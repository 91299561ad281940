"""The improvement register in a real browser: a complaint and a low survey score raised as items
with owners, the register filtered by source, an item closed as effective only once its result is
measured. Screenshots at 1440 and 390 px, in English and Korean, land in test-artifacts/."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction

from conftest import shots, sign_in
from core import events, outbox
from improvements import services
from improvements.choices import ImprovementState as S
from improvements.models import Improvement
from problems.tests.factories import make_incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _register(agent, manager, team, end_user):
    """A complaint and a low score raised through the subscribers, plus typed-in items."""
    complaint = make_incident(end_user, title="Rude answer on the phone line")  # stands in for a VOC record
    response = make_incident(end_user, title="survey response")  # stands in for a survey response
    with transaction.atomic():
        events.publish("voc.created", complaint, data={"kind": "complaint", "assignment_group": team.pk})
        events.publish("survey.low_score", response, data={
            "score": 1, "comment": "Nobody called back", "ticket": {"number": "INC0001234"},
            "assignment_group": team.pk})
    outbox.deliver_due()
    services.create_improvement(actor=agent, channel="web", title="Access rights not removed when staff leave",
                                kind="corrective_action", source_type="audit_finding", benefit=5, effort=3, risk=2,
                                owner=agent, due_date=date.today() - timedelta(days=3),
                                nonconformity="11 accounts of leavers were still active.")
    item = services.create_improvement(actor=agent, channel="web", title="Automate VPN certificate renewal",
                                       benefit=5, effort=2, risk=2, owner=agent, due_date=date.today(),
                                       baseline_value=Decimal("42"), baseline_unit="incidents/month",
                                       baseline_date=date.today() - timedelta(days=60))
    for target in (S.APPROVED, S.IN_PROGRESS, S.IMPLEMENTED):
        item, _diff = services.transition_improvement(item, target, actor=manager, channel="web")
    return item


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_register_lists_raised_items_and_closes_only_measured_ones(page, login, agent, manager, team, end_user,
                                                                       language):
    item = _register(agent, manager, team, end_user)
    sign_in(page, login, manager, language)
    # the register: the complaint and the low score are there, with the team manager as owner
    page.goto("/improvements/")
    rows = page.get_by_test_id("improvement-row")
    assert rows.count() == 4
    assert page.get_by_test_id("improvement-table").inner_text().count(str(manager)) == 2
    shots(page, f"improvements-list-{language}")
    # filtered by source
    page.goto("/improvements/?source_type=complaint")
    assert page.get_by_test_id("improvement-row").count() == 1
    # the item's page
    page.goto(f"/improvements/{item.pk}/")
    assert item.number in page.get_by_test_id("improvement-title").inner_text()
    shots(page, f"improvements-detail-{language}")
    # closing as effective without the result is refused on the form
    page.select_option("#id_state", "closed_effective")
    page.get_by_test_id("transition-submit").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".invalid-feedback, .alert-danger").count() >= 1
    assert Improvement.objects.get(pk=item.pk).state == S.IMPLEMENTED
    shots(page, f"improvements-refused-{language}")
    # with the result measured it closes, and the page shows who verified it
    page.fill("#id_result_value", "6")
    page.fill("#id_result_date", date.today().isoformat())
    page.select_option("#id_state", "closed_effective")
    page.get_by_test_id("transition-submit").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("improvement-state").get_attribute("data-state") == "closed_effective"
    assert "6" in page.get_by_test_id("result").inner_text()
    shots(page, f"improvements-closed-{language}")
