"""Generating, freezing, approving and distributing reports (reports.services), without HTTP."""

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Organisation
from core.choices import Channel
from core.exceptions import DomainError, InvalidTransition, StaleVersion
from core.models import AuditEntry
from incidents import services as incident_services
from reports import exports, presentation, rules, scheduling, services
from reports.choices import ReportState
from reports.models import ServiceReport
from reports.tests.conftest import AFTER_NOV, NOV
from sla.tests.conftest import kst

pytestmark = pytest.mark.django_db


def generate(organisation, **kwargs):
    kwargs.setdefault("month", NOV)
    kwargs.setdefault("now", AFTER_NOV)
    kwargs.setdefault("channel", Channel.WEB)
    return services.generate(organisation=organisation, **kwargs)


def test_the_snapshot_holds_the_months_figures(seeded, finance, manager, groupware):
    report = generate(finance, actor=manager)
    snap = report.snapshot
    assert (report.period_start, report.period_end, report.time_zone) == (NOV, dt.date(2026, 11, 30), "Asia/Seoul")
    assert snap["period"]["month"] == "2026-11" and snap["organisation"]["name"] == finance.name
    incidents = snap["volumes"]["incidents"]
    assert (incidents["opened"], incidents["resolved"], incidents["backlog"]) == (4, 3, 2)
    assert incidents["by_priority"] == {"1": 1, "2": 0, "3": 3, "4": 0, "5": 0}
    assert incidents["mean_hours"] == 12.0
    sla = snap["sla"]
    assert sla["clocks"] == sla["met"] + sla["breached"] and sla["breached"] > 0
    assert {t["kind"] for t in sla["targets"]} == {"response", "resolution"}
    breach = sla["breaches"][0]
    assert breach["service"] == "Groupware" and breach["reason"]["en"] and breach["reason"]["ko"]
    assert snap["availability"] == {"measured": False}
    assert [t["month"] for t in snap["trend"]][-1] == "2026-11" and len(snap["trend"]) == 12
    assert snap["trend"][-2]["incidents_opened"] == 1  # October's incident
    assert snap["satisfaction"]["responses"] == 0 and "received" in snap["voc"] and "raised" in snap["improvements"]
    assert report.state == ReportState.DRAFT and report.generated_by == manager


def test_a_report_for_one_service_and_another_organisation(seeded, finance, groupware):
    assert generate(finance, service=groupware).snapshot["service"] == {"id": groupware.pk, "name": "Groupware"}
    other = Organisation.objects.create(name="Sales", code="sales")
    empty = generate(other).snapshot
    assert empty["volumes"]["incidents"]["opened"] == 0 and empty["sla"]["breaches"] == []


def test_a_month_that_has_not_ended_is_refused_and_nothing_is_written(seeded, finance):
    with pytest.raises(DomainError) as refusal:
        generate(finance, now=kst(2026, 11, 30, 23, 59))
    assert refusal.value.field == "month" and refusal.value.status_code == 400
    assert not ServiceReport.objects.exists()
    assert not AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(ServiceReport)).exists()


def test_later_edits_to_tickets_do_not_change_the_report(seeded, finance, agent):
    report = generate(finance)
    before = report.snapshot
    with translation.override("en"):
        rendered = [(s.title, [t.rows for t in s.tables]) for s in presentation.sections(before)]
    # After generation: a November incident is re-prioritised and moved out, another one opened in November.
    incident = seeded["b"]
    incident.refresh_from_db()
    incident_services.update_incident(incident, actor=agent, channel=Channel.WEB, expected_version=incident.version,
                                      changes={"title": "changed", "impact": 1, "urgency": 1})
    from incidents.models import Incident

    Incident.objects.filter(pk=seeded["c"].pk).update(created_at=kst(2026, 9, 1, 10, 0))
    report.refresh_from_db()
    assert report.snapshot == before
    with translation.override("en"):
        assert [(s.title, [t.rows for t in s.tables]) for s in presentation.sections(report.snapshot)] == rendered
    # regenerating the draft would now say otherwise: the freeze is the snapshot, not luck
    assert generate(finance).snapshot["volumes"]["incidents"]["by_priority"] != before["volumes"]["incidents"]["by_priority"]


def test_a_draft_is_regenerated_a_published_report_is_not(seeded, finance, manager):
    report = generate(finance)
    again = generate(finance, actor=manager)
    assert again.pk == report.pk and again.version == report.version + 1
    services.approve(again, actor=manager, channel=Channel.WEB)
    frozen = ServiceReport.objects.get(pk=report.pk).snapshot
    with pytest.raises(rules.AlreadyPublished) as refusal:
        generate(finance, actor=manager)
    assert refusal.value.status_code == 409
    assert ServiceReport.objects.get(pk=report.pk).snapshot == frozen and ServiceReport.objects.count() == 1


def test_approval_and_distribution_are_recorded_in_the_audit_trail(seeded, finance, manager):
    report = generate(finance)
    with pytest.raises(InvalidTransition):
        services.distribute(report, actor=manager, channel=Channel.WEB, recipients=["a@example.com"])
    with pytest.raises(StaleVersion):
        services.approve(report, actor=manager, channel=Channel.WEB, version=report.version + 1)
    report = services.approve(report, actor=manager, channel=Channel.WEB, version=report.version)
    report = services.distribute(report, actor=manager, channel=Channel.API,
                                 recipients="cio@finance.example.com, desk@example.com")
    assert report.state == ReportState.DISTRIBUTED
    assert report.distributed_to == ["cio@finance.example.com", "desk@example.com"]
    rows = list(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(ServiceReport),
                                          object_id=report.pk).order_by("id"))
    assert [(r.action, r.field, r.old_value, r.new_value, r.actor_id) for r in rows[1:]] == [
        ("transitioned", "state", "draft", "approved", manager.pk),
        ("transitioned", "state", "approved", "distributed", manager.pk),
    ]
    assert rows[-1].context == {"recipients": ["cio@finance.example.com", "desk@example.com"]}
    assert rows[-1].channel == Channel.API


def test_the_pdf_speaks_korean(seeded, finance):
    report = generate(finance)
    content, content_type, name = exports.render(report, "pdf", "ko")
    assert content_type == "application/pdf" and name.endswith("-ko.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    for word in ("월간 서비스 보고서", "가용성", "Groupware"):
        assert word in text, word
    english = "".join(p.extract_text() for p in PdfReader(io.BytesIO(exports.render(report, "pdf", "en")[0])).pages)
    assert "Monthly service report" in english and "Availability" in english


def test_the_xlsx_holds_the_figures(seeded, finance):
    report = generate(finance)
    content, content_type, _name = exports.render(report, "xlsx", "ko")
    book = load_workbook(io.BytesIO(content))
    assert len(book.sheetnames) == 9
    values = [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "월간 서비스 보고서 2026-11: Finance" in values
    assert 4 in values  # incidents opened


def test_the_monthly_task_makes_last_months_report_once_per_organisation(seeded, finance):
    other = Organisation.objects.create(name="New York office", code="ny", time_zone="America/New_York")
    # 1 December 09:00 in Seoul: November has ended in Seoul, not yet in New York (30 Nov 19:00)
    made = scheduling.generate_due(now=AFTER_NOV)
    # ... so New York gets October, its month just ended
    assert sorted(ServiceReport.objects.values_list("organisation__code", "period_start")) == [
        ("finance", NOV), ("ny", dt.date(2026, 10, 1))]
    assert len(made) == ServiceReport.objects.count()
    assert scheduling.generate_due(now=AFTER_NOV) == []
    later = scheduling.generate_due(now=kst(2026, 12, 1, 20, 0))  # 06:00 in New York
    assert ServiceReport.objects.filter(organisation=other, period_start=NOV).exists() and len(later) == 1


def test_the_trend_repeats_the_earlier_months_published_figures(seeded, finance, monkeypatch):
    from reports import snapshot
    from sla import monthly
    from sla.reports import shift_month

    for back in range(11, 0, -1):
        generate(finance, month=shift_month(NOV, -back))
    october = ServiceReport.objects.get(period_start=dt.date(2026, 10, 1)).snapshot["trend"][-1]
    # October's incident moves to September after October's report: the published trend stands
    from incidents.models import Incident

    Incident.objects.filter(pk=seeded["old"].pk).update(created_at=kst(2026, 9, 20, 10, 0))
    windows = []
    real_build = monthly.build
    monkeypatch.setattr(snapshot.monthly, "build",
                        lambda *a, **k: windows.append(k["trend_months"]) or real_build(*a, **k))
    trend = generate(finance).snapshot["trend"]
    assert windows == [1]  # the month alone was computed
    assert trend[-2] == {**october, "published": True} and trend[-2]["incidents_opened"] == 1
    assert trend[-1]["month"] == "2026-11" and trend[-1]["published"] is False
