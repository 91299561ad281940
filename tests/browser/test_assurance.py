"""Issue 18 in a real browser: the audit programme with its coverage matrix and warning, an audit
with its open major nonconformity linked to the corrective action, a management review with its
pack and an overdue action, the certification timeline with the next surveillance audit.
Screenshots at 1440 and 390 px, in English and Korean, land in test-artifacts/."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Team
from assurance import services
from assurance.rules import add_months
from conftest import shots, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _mid_cycle(manager, agent):
    today = timezone.localdate()
    services.create_programme(actor=manager, channel="web", name="ISO 20000 cycle", start_year=today.year - 1)
    network = Team.objects.create(name="Network")
    done = services.create_audit(actor=manager, channel="web", title="Incident and request management",
                                 scope=["8.6"], planned_date=today - dt.timedelta(days=200), lead_auditor=manager,
                                 audited_teams=[network], processes="Service desk")
    done, _d = services.update_audit(done, actor=manager, channel="web", changes={"state": "in_progress"})
    finding = services.add_finding(done, actor=manager, channel="web", kind="major_nc", clauses=["8.6.1"],
                                   description="Nine of forty sampled P2 incidents had no resolution notes.",
                                   evidence="Incident register sample", evidence_records=["INC0001234"],
                                   owner=agent)
    services.add_finding(done, actor=manager, channel="web", kind="ofi", clauses=["7.6"],
                         description="Link knowledge articles from resolved incidents.")
    services.update_audit(done, actor=manager, channel="web",
                          changes={"state": "reported", "performed_date": today - dt.timedelta(days=200)})
    own = services.create_audit(actor=manager, channel="web", title="Service levels and suppliers", scope=["8.3"],
                                planned_date=today + dt.timedelta(days=20), lead_auditor=manager,
                                audited_teams=list(manager.teams.all()))
    review = services.create_review(actor=manager, channel="web", title="Annual management review",
                                    held_on=today - dt.timedelta(days=30),
                                    period_start=today - dt.timedelta(days=395), period_end=today - dt.timedelta(days=31),
                                    chair=manager, attendees="Service manager, quality manager",
                                    minutes="SLA trend reviewed; surveillance audit coming up.",
                                    risks=[{"risk": "Key supplier misses availability", "rating": "high",
                                            "treatment": "Quarterly contract review"}])
    services.add_action(review, actor=manager, channel="web", title="Renew the expired contracts", owner=agent,
                        due_date=today - dt.timedelta(days=5))
    services.add_action(review, actor=manager, channel="web", title="Train a second auditor", owner=manager,
                        due_date=today + dt.timedelta(days=60))
    for kind, days, result in (("stage1", 420, "Ready for stage 2"), ("stage2", 380, "Recommended"),
                               ("decision", 345, "Certified")):
        services.create_certification_event(actor=manager, channel="web", kind=kind,
                                            date=today - dt.timedelta(days=days), body="KCI", result=result)
    return done, own, finding, review


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_programme_audits_reviews_and_certification(page, login, manager, agent, language):
    done, own, finding, review = _mid_cycle(manager, agent)
    sign_in(page, login, manager, language)
    # the programme: the matrix, the warning for the clauses no audit covers, the next audit
    page.goto("/iso/audits/")
    matrix = page.get_by_test_id("coverage-matrix")
    assert matrix.locator('tr[data-clause="8.6.1"] td.text-bg-success').count() == 1
    assert matrix.locator('tr[data-clause="8.3.4"] td.text-bg-info').count() == 1
    assert page.get_by_test_id("coverage-warning").is_visible()
    assert page.get_by_test_id("audit-list").locator("tbody tr").count() == 2
    shots(page, f"assurance-programme-{language}")
    # the audit with its findings; the major nonconformity links to its corrective action
    page.goto(f"/iso/audits/{done.pk}/")
    link = page.get_by_test_id("corrective-action-link")
    assert link.count() == 1 and finding.corrective_action.number in link.inner_text()
    shots(page, f"assurance-audit-{language}")
    # the audit the manager leads over their own team: flagged
    page.goto(f"/iso/audits/{own.pk}/")
    assert page.get_by_test_id("independence-warning").is_visible()
    # the review: generate the pack, see the overdue action
    page.goto(f"/iso/audits/reviews/{review.pk}/")
    page.get_by_test_id("generate-pack").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("review-pack").is_visible()
    assert page.get_by_test_id("action-overdue").count() == 1
    shots(page, f"assurance-review-{language}")
    page.goto(f"/iso/audits/reviews/{review.pk}/pack/")
    assert page.get_by_test_id("pack-kpi").is_visible()
    shots(page, f"assurance-review-pack-{language}")
    # certification: the timeline and the first surveillance audit a year after the decision
    page.goto("/iso/audits/certification/")
    assert page.get_by_test_id("certification-timeline").locator("li").count() == 3
    decision = timezone.localdate() - dt.timedelta(days=345)
    assert str(add_months(decision, 12)) in page.get_by_test_id("certification-next-due").inner_text()
    shots(page, f"assurance-certification-{language}")
