"""The document register and the service portfolio in a real browser: a procedure written by one
agent, refused to its author and approved by the manager, its versions compared; the portfolio
with a live service's supporting CIs; the published catalogue an end user reads (live services
only). Screenshots at 1440 and 390 px, in English and Korean, land in test-artifacts/."""

from datetime import date

import pytest

from changes.tests.factories import make_change, make_ci, needs, service
from conftest import shots, sign_in
from core.choices import Channel
from documents import services as documents
from documents.models import Document
from portfolio import services as portfolio

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WEB = Channel.WEB


def _world(agent, manager):
    payroll = service("Payroll")
    needs(payroll, make_ci("payroll-db-01"))
    needs(service("HR portal"), payroll)
    portfolio.create_service(actor=agent, channel=WEB, service=payroll, lifecycle="live", owner=agent,
                             summary="Monthly pay for every employee.", summary_ko="전 직원 월 급여 지급.",
                             name_ko="급여")
    portfolio.create_service(actor=agent, channel=WEB, service=service("Chatbot"), summary="Coming next year.")
    old = documents.create_document(actor=agent, channel=WEB, title="Service management policy", kind="policy",
                                    owner=agent, clauses=["5.2"], body="Scope: every service.")
    old = documents.transition_document(old, "review", actor=agent, channel=WEB)
    old = documents.transition_document(old, "approved", actor=manager, channel=WEB)
    Document.objects.filter(pk=old.pk).update(review_at=date(2024, 1, 1))
    procedure = documents.create_document(
        actor=agent, channel=WEB, title="Change management procedure", kind="procedure", owner=agent,
        clauses=["8.5.1"], services=[payroll], body="Record every change.\nAssess the risk.")
    procedure = documents.transition_document(procedure, "review", actor=agent, channel=WEB)
    requirement = documents.create_document(actor=agent, channel=WEB, title="Self-service password reset",
                                            kind="requirement", owner=agent, changes=[make_change(agent)],
                                            body="Reset with MFA.")
    return procedure, requirement


@pytest.mark.parametrize("language", ["en", "ko"])
def test_register_approval_and_portfolio(page, login, agent, manager, end_user, language):
    procedure, requirement = _world(agent, manager)
    sign_in(page, login, agent, language)
    page.goto("/documents/")
    assert page.get_by_test_id("document-row").count() == 3
    assert page.get_by_test_id("review-overdue").count() == 1
    shots(page, f"documents-list-{language}")
    # the author cannot approve their own text
    page.goto(f"/documents/{procedure.pk}/")
    page.select_option("#id_state", "approved")
    page.get_by_test_id("transition-submit").click()
    assert page.get_by_test_id("document-state").get_attribute("data-state") == "review"
    shots(page, f"documents-refused-{language}")
    # the manager approves it
    sign_in(page, login, manager, language)
    page.goto(f"/documents/{procedure.pk}/")
    page.select_option("#id_state", "approved")
    page.get_by_test_id("transition-submit").click()
    page.wait_for_selector("[data-testid=document-state][data-state=approved]")
    # a second version, compared with the first
    page.locator("#versions summary").click()
    page.fill("#id_body", "Record every change.\nAssess the risk and the impact.")
    page.get_by_test_id("version-submit").click()
    page.wait_for_selector("[data-testid=diff-link]")
    assert page.get_by_test_id("version-row").count() == 2
    shots(page, f"documents-detail-{language}")
    page.get_by_test_id("diff-link").click()
    assert "impact" in page.get_by_test_id("document-diff").inner_text()
    shots(page, f"documents-diff-{language}")
    page.goto(f"/documents/{requirement.pk}/")
    assert page.get_by_test_id("trace").inner_text().startswith("CHG")
    # the portfolio
    page.goto("/portfolio/")
    assert page.get_by_test_id("portfolio-row").count() == 2
    shots(page, f"portfolio-list-{language}")
    page.get_by_test_id("portfolio-row").filter(has_text="급여" if language == "ko" else "Payroll").get_by_role(
        "link").click()
    supporting = page.get_by_test_id("supporting-cis").inner_text()
    assert "payroll-db-01" in supporting and "HR portal" in supporting
    shots(page, f"portfolio-detail-{language}")
    # the end user reads the published catalogue: live services only
    sign_in(page, login, end_user, language)
    page.goto("/portfolio/catalogue/")
    cards = page.get_by_test_id("catalogue-service")
    assert cards.count() == 1
    assert ("전 직원 월 급여 지급." if language == "ko" else "Monthly pay for every employee.") in cards.inner_text()
    shots(page, f"portfolio-catalogue-{language}")
