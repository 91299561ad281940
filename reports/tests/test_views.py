"""Desk pages: managers only (others 404), generate with clear refusals, downloads, printable page."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.roles import Role
from core.choices import Channel
from reports import services
from reports.models import ServiceReport
from reports.tests.conftest import AFTER_NOV, NOV

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(seeded, finance):
    return services.generate(organisation=finance, month=NOV, now=AFTER_NOV, channel=Channel.SYSTEM)


def test_managers_read_list_detail_and_printable_page(client, manager, report):
    client.force_login(manager)
    assert report.get_absolute_url() in client.get(reverse("reports:list")).content.decode()
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Monthly service report 2026-11: Finance" in detail and "Not measured yet" in detail
    printable = client.get(reverse("reports:print", args=[report.pk]))
    assert printable.status_code == 200 and b"report-printable" in printable.content


def test_the_korean_page_and_pdf(client, manager, report):
    client.force_login(manager)
    client.cookies["django_language"] = "ko"
    page = client.get(reverse("reports:detail", args=[report.pk]))
    assert "월간 서비스 보고서 2026-11" in page.content.decode()
    pdf = client.get(reverse("reports:download", args=[report.pk, "pdf"]) + "?lang=ko")
    assert pdf["Content-Type"] == "application/pdf" and "attachment" in pdf["Content-Disposition"]
    assert "월간 서비스 보고서" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    xlsx = client.get(reverse("reports:download", args=[report.pk, "xlsx"]) + "?lang=en")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(reverse("reports:download", args=[report.pk, "doc"])).status_code == 404


@pytest.mark.parametrize("role", [Role.AGENT, Role.END_USER])
def test_everyone_else_gets_404(client, make_user, report, role):
    client.force_login(make_user(role))
    for url in (reverse("reports:list"), reverse("reports:detail", args=[report.pk]),
                reverse("reports:print", args=[report.pk]), reverse("reports:download", args=[report.pk, "pdf"])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reports:approve", args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:generate"), {"month": "2026-11"}).status_code == 404


def test_generate_refuses_a_month_that_has_not_ended(client, admin_user, finance):
    client.force_login(admin_user)
    response = client.post(reverse("reports:generate"), {"month": "2999-01", "organisation": finance.pk})
    assert response.status_code == 400 and "has not ended yet" in response.content.decode()
    response = client.post(reverse("reports:generate"), {"month": "five", "organisation": finance.pk})
    assert response.status_code == 400 and "YYYY-MM" in response.content.decode()
    assert not ServiceReport.objects.exists()


def test_generate_approve_distribute_through_the_pages(client, manager, seeded, finance):
    client.force_login(manager)
    response = client.post(reverse("reports:generate"), {"month": "2026-11", "organisation": finance.pk})
    report = ServiceReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert client.post(reverse("reports:distribute", args=[report.pk]),
                       {"recipients": "a@example.com"}).status_code == 400  # not approved yet
    assert client.post(reverse("reports:approve", args=[report.pk]), {"version": report.version}).status_code == 302
    refused = client.post(reverse("reports:generate"), {"month": "2026-11", "organisation": finance.pk})
    assert refused.status_code == 409
    bad = client.post(reverse("reports:distribute", args=[report.pk]), {"recipients": "nobody"})
    assert bad.status_code == 400 and "is not an e-mail address" in bad.content.decode()
    client.post(reverse("reports:distribute", args=[report.pk]), {"recipients": "cio@example.com"})
    report.refresh_from_db()
    assert report.state == "distributed" and report.distributed_to == ["cio@example.com"]
    page = client.get(report.get_absolute_url()).content.decode()
    assert "cio@example.com" in page


def test_the_list_runs_a_constant_number_of_queries(client, manager, finance, django_assert_num_queries):
    from accounts.models import Organisation

    client.force_login(manager)
    client.get(reverse("reports:list"))
    for rows in (1, 4):
        for index in range(rows):
            org = Organisation.objects.create(name=f"Org {rows} {index}", code=f"org{rows}-{index}")
            ServiceReport.objects.create(period_start=NOV, period_end=NOV.replace(day=30), organisation=org,
                                         time_zone="Asia/Seoul")
        # session, user, approvals badge (one statement for every source), count, page,
        # organisations filter, savepoints (the roles are kept per process)
        with django_assert_num_queries(8):
            client.get(reverse("reports:list"))
