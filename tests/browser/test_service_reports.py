"""Browser: a manager reads last month's frozen service report in Korean, downloads it as PDF (Korean
text in it) and opens the printable page. Screenshots at 1440 and 390 px, English and Korean."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from conftest import screenshot
from core.choices import Channel
from incidents import services as incident_services
from reports import rules, services
from sla import sweep as sla_sweep
from sla.tests.conftest import groupware  # noqa: F401 (a business service CI)
from sla.tests.factories import make_definition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shots(page, name):
    page.set_viewport_size({"width": 1440, "height": 900})
    screenshot(page, f"{name}-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1440, "height": 900})


def test_manager_reads_last_months_report_in_korean_as_pdf_and_printable_page(page, login, manager, agent,
                                                                               end_user, groupware):
    # given last month's incidents (one resolved in time, one breaching) and its generated report
    make_definition("Gold 24×7", calendar=None, targets={3: (30, 120)})
    zone = end_user.organisation.time_zone
    month = rules.previous_month(timezone.now(), zone)
    start = dt.datetime.combine(month.replace(day=10), dt.time(10), tzinfo=timezone.get_current_timezone())
    ok = incident_services.open_incident(actor=agent, channel=Channel.WEB, title="프린터 연결 불가",
                                         caller=end_user, impact=2, urgency=2, service=groupware, now=start)
    incident_services.resolve(ok, actor=agent, channel=Channel.WEB, code="solved_permanently", notes="재설치",
                              now=start + dt.timedelta(minutes=20))
    incident_services.open_incident(actor=agent, channel=Channel.WEB, title="그룹웨어 메일 지연", caller=end_user,
                                    impact=2, urgency=2, service=groupware, now=start + dt.timedelta(hours=1))
    sla_sweep.sweep(now=start + dt.timedelta(days=2))
    report = services.generate(organisation=end_user.organisation, month=month, actor=manager, channel=Channel.WEB)
    login(manager)

    # when the manager opens the list and last month's report (English first)
    page.goto("/reports/")
    page.get_by_test_id("report-list").get_by_role("link", name=month.strftime("%Y-%m")).click()
    page.wait_for_load_state("networkidle")
    assert f"Monthly service report {month:%Y-%m}" in page.get_by_test_id("report-title").inner_text()
    assert "Not measured yet" in page.get_by_test_id("section-availability").inner_text()
    assert "Groupware" in page.get_by_test_id("section-sla").inner_text()
    shots(page, "reports-detail-en")

    # then in Korean
    page.select_option("#language-select", "ko")
    page.wait_for_function("() => document.documentElement.lang === 'ko'")
    assert f"월간 서비스 보고서 {month:%Y-%m}" in page.get_by_test_id("report-title").inner_text()
    assert "아직 측정하지 않음" in page.get_by_test_id("section-availability").inner_text()
    shots(page, "reports-detail-ko")

    # the Korean PDF downloads and holds Korean text
    with page.expect_download() as download_info:
        page.get_by_test_id("download-pdf-ko").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-ko.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(open(download.path(), "rb").read())).pages)
    for word in ("월간 서비스 보고서", "가용성", "위반 목록과 사유", "Groupware"):
        assert word in text, word

    # the printable page, as printed
    page.get_by_test_id("print-link").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".report-printable").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    shots(page, "reports-print-ko")
    page.emulate_media(media="screen")
    page.select_option("#language-select", "en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.emulate_media(media="print")
    shots(page, "reports-print-en")
    page.emulate_media(media="screen")

    # and the list at both widths
    page.goto("/reports/")
    shots(page, "reports-list-en")
    report.refresh_from_db()
    assert report.state == "draft"
