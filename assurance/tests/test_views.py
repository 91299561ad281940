"""Desk pages: what agents read and managers write, in English and Korean."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from assurance import services
from assurance.models import Audit, CertificationEvent, Finding, ManagementReview
from core.choices import Channel

WEB = Channel.WEB
pytestmark = pytest.mark.django_db


def _client(user, language="en"):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


@pytest.fixture
def records(manager, make_audit, audit_in_progress):
    finding = services.add_finding(audit_in_progress, actor=manager, channel=WEB, kind="major_nc",
                                   clauses=["8.6.1"], description="Resolution notes missing")
    review = services.create_review(actor=manager, channel=WEB, title="Annual review", held_on=dt.date(2026, 11, 1),
                                    period_start=dt.date(2025, 11, 1), period_end=dt.date(2026, 10, 31))
    services.add_action(review, actor=manager, channel=WEB, title="Renew the contracts", due_date=dt.date(2026, 1, 1))
    services.create_certification_event(actor=manager, channel=WEB, kind="decision", date=dt.date(2025, 12, 20))
    return {"audit": audit_in_progress, "finding": finding, "review": review}


def test_the_programme_page_shows_the_coverage_matrix_and_its_warning(agent, records):
    page = _client(agent).get("/iso/audits/").content.decode()
    assert 'data-testid="coverage-matrix"' in page
    assert 'data-clause="8.6.1"' in page and "Planned" in page
    assert "clauses are not covered in this cycle" in page
    assert "AUD-2026-01" in page
    assert "2026-12-20" in page  # the first surveillance audit, a year after the decision
    assert 'data-testid="new-audit"' not in page  # agents read only


def test_the_audit_page_links_the_nonconformity_to_its_corrective_action(manager, records):
    page = _client(manager).get(f"/iso/audits/{records['audit'].pk}/").content.decode()
    assert "AUD-2026-01-F1" in page
    assert records["finding"].corrective_action.number in page
    assert records["finding"].corrective_action.get_absolute_url() in page


def test_a_manager_plans_an_audit_from_the_desk(manager, records, team):
    answer = _client(manager).post("/iso/audits/new/", {
        "title": "Suppliers", "scope": ["8.3.4"], "planned_date": "2026-09-01", "lead_auditor": manager.pk,
        "audited_teams": [team.pk]})
    audit = Audit.objects.get(title="Suppliers")
    assert answer.status_code == 302 and answer["Location"] == audit.get_absolute_url()
    assert audit.independence_conflict is True  # the manager is in the audited team


def test_a_bad_clause_in_the_desk_form_is_shown_on_its_field(manager, records):
    answer = _client(manager).post("/iso/audits/new/", {"title": "x", "scope": ["99"], "planned_date": "2026-09-01",
                                                        "lead_auditor": manager.pk})
    assert answer.status_code == 400
    assert answer.context["form"].errors["scope"]


def test_closing_a_nonconformity_with_an_open_action_needs_a_reason(manager, records):
    finding = records["finding"]
    client = _client(manager)
    client.post(f"/iso/audits/findings/{finding.pk}/close/", {})
    assert Finding.objects.get(pk=finding.pk).state == "open"
    client.post(f"/iso/audits/findings/{finding.pk}/close/", {f"f{finding.pk}-closure_note": "Accepted"})
    assert Finding.objects.get(pk=finding.pk).state == "closed"


def test_the_review_pack_is_generated_and_printable(manager, records):
    client = _client(manager)
    review = records["review"]
    client.post(f"/iso/audits/reviews/{review.pk}/generate/")
    assert ManagementReview.objects.get(pk=review.pk).pack_generated_at is not None
    page = client.get(f"/iso/audits/reviews/{review.pk}/").content.decode()
    assert 'data-testid="review-pack"' in page and 'data-testid="action-overdue"' in page
    printable = client.get(f"/iso/audits/reviews/{review.pk}/pack/").content.decode()
    assert "Management review pack" in printable and "Renew the contracts" in printable


def test_agents_may_not_write(agent, records):
    client = _client(agent)
    assert client.get("/iso/audits/new/").status_code == 403
    assert client.post(f"/iso/audits/reviews/{records['review'].pk}/generate/").status_code == 403
    assert ManagementReview.objects.get(pk=records["review"].pk).pack_generated_at is None


def test_a_certification_event_from_the_desk(manager, records):
    answer = _client(manager).post("/iso/audits/certification/new/", {"kind": "surveillance", "date": "2026-12-01",
                                                                       "body": "KCI", "result": "Maintained"})
    assert answer.status_code == 302
    assert CertificationEvent.objects.filter(kind="surveillance", result="Maintained").count() == 1
    page = _client(manager).get("/iso/audits/certification/").content.decode()
    assert "2027-12-20" in page  # the second surveillance, 24 months after the decision


def test_the_pages_read_in_korean(manager, records):
    client = _client(manager, "ko")
    with translation.override("ko"):
        programme = client.get("/iso/audits/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
        reviews = client.get("/iso/audits/reviews/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
        certification = client.get("/iso/audits/certification/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "내부 심사 프로그램" in programme and "조항 적용 범위" in programme
    assert "경영 검토" in reviews
    assert "인증 일정" in certification and "인증 결정" in certification


def test_the_review_pack_downloads_as_pdf(agent, manager, records):
    review = services.generate_pack(records["review"], actor=manager, channel=WEB)
    answer = _client(agent, "ko").get(f"/iso/audits/reviews/{review.pk}/pack/pdf/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-") and len(answer.content) > 5000
