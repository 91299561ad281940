"""Desk pages: dashboard, compliance report, breaches, service report (HTML and CSV), clock timeline."""

import pytest
from django.urls import reverse

from core.choices import Channel
from incidents import services
from sla import reports
from sla import sweep as sla_sweep
from sla.models import SLAClock
from sla.tests.conftest import kst

pytestmark = pytest.mark.django_db


@pytest.fixture
def month_with_outcomes(definition, open_incident, agent):
    """Two incidents in Nov 2026 (KST): one met, one breached (resolution)."""
    met = open_incident(now=kst(2026, 11, 23, 10, 0), title="met")
    services.resolve(met, actor=agent, channel=Channel.WEB, code="solved_permanently", notes="ok",
                     now=kst(2026, 11, 23, 10, 30))
    late = open_incident(now=kst(2026, 11, 23, 10, 0), title="late")
    sla_sweep.sweep(now=kst(2026, 11, 24, 10, 0))
    return met, late


def test_month_bounds_follow_the_organisation_zone():
    start, end = reports.month_bounds(reports.parse_month("2026-11"), "Asia/Seoul")
    assert start.isoformat() == "2026-11-01T00:00:00+09:00"
    assert end.isoformat() == "2026-12-01T00:00:00+09:00"
    # a KST month starts at 15:00 UTC the day before
    assert start.astimezone(reports.ZoneInfo("UTC")).strftime("%m-%d %H:%M") == "10-31 15:00"


def test_compliance_counts_outcomes_in_month(month_with_outcomes):
    rows, overall = reports.compliance(reports.parse_month("2026-11"), by="priority")
    # met: response+resolution of the first; breached: response+resolution of the second
    assert (overall.total, overall.met, overall.breached) == (4, 2, 2)
    assert overall.compliance == 50.0
    assert [r.label for r in rows] == ["P3"]
    rows_oct, overall_oct = reports.compliance(reports.parse_month("2026-10"))
    assert overall_oct.total == 0


def test_breach_on_the_first_kst_morning_counts_in_that_month(definition, open_incident):
    # opened 2026-11-30 17:30 KST; response (60 min) breaches 2026-12-01 09:30 KST = 11-30 00:30 UTC
    open_incident(now=kst(2026, 11, 30, 17, 30))
    sla_sweep.sweep(now=kst(2026, 12, 1, 9, 31))
    assert reports.compliance(reports.parse_month("2026-12"))[1].breached == 1
    assert reports.compliance(reports.parse_month("2026-11"))[1].breached == 0


@pytest.mark.parametrize("name, params", [
    ("sla:dashboard", "?month=2026-11"),
    ("sla:report", "?month=2026-11&by=group"),
    ("sla:report", "?month=2026-11&by=service"),
    ("sla:report", "?month=bogus&by=nonsense&organisation=x&kind=zzz"),
    ("sla:breaches", "?month=2026-11"),
    ("sla:service_report", "?month=2026-11"),
])
def test_pages_render_for_agents(client, agent, month_with_outcomes, name, params):
    client.force_login(agent)
    response = client.get(reverse(name) + params)
    assert response.status_code == 200


def test_breach_list_shows_reason_and_links_to_timeline(client, agent, month_with_outcomes):
    client.force_login(agent)
    response = client.get(reverse("sla:breaches") + "?month=2026-11")
    late_clock = SLAClock.objects.filter(breached_at__isnull=False).first()
    assert reverse("sla:clock_detail", args=[late_clock.pk]).encode() in response.content
    assert "ran without pause" in response.content.decode()
    timeline = client.get(reverse("sla:clock_detail", args=[late_clock.pk]))
    assert timeline.status_code == 200
    assert b'data-testid="clock-timeline"' in timeline.content


def test_compliance_csv(client, manager, month_with_outcomes):
    client.force_login(manager)
    response = client.get(reverse("sla:report") + "?month=2026-11&by=priority&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "priority,total,met,breached,compliance_percent,average_business_minutes"
    assert lines[1].startswith("P3,4,2,2,50.0")


def test_service_report_for_one_service(client, manager, definition, open_incident, groupware):
    open_incident(now=kst(2026, 11, 23, 10, 0), service=groupware)
    open_incident(now=kst(2026, 11, 23, 10, 0))
    sla_sweep.sweep(now=kst(2026, 11, 24, 10, 0))
    client.force_login(manager)
    response = client.get(reverse("sla:service_report") + f"?month=2026-11&service={groupware.pk}")
    selected = response.context["selected"]
    assert (selected.label, selected.month.clocks, selected.month.breached) == ("Groupware", 2, 2)
    csv_lines = client.get(reverse("sla:service_report") + f"?month=2026-11&service={groupware.pk}&format=csv") \
        .content.decode("utf-8-sig").strip().splitlines()
    assert len(csv_lines) == 3
    assert all(line.startswith("Groupware,INC") for line in csv_lines[1:])


def test_service_report_csv_lists_every_clock(client, manager, month_with_outcomes):
    client.force_login(manager)
    response = client.get(reverse("sla:service_report") + "?month=2026-11&format=csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 4
    assert lines[0].startswith("service,ticket,agreement,kind")


def test_end_users_are_refused(client, end_user):
    client.force_login(end_user)
    assert client.get(reverse("sla:dashboard")).status_code == 403


def test_breach_list_query_count_is_constant(client, agent, definition, open_incident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(agent)
    for _ in range(2):
        open_incident(now=kst(2026, 11, 23, 10, 0))
    sla_sweep.sweep(now=kst(2026, 11, 24, 10, 0))
    client.get(reverse("sla:breaches") + "?month=2026-11")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("sla:breaches") + "?month=2026-11")
    for _ in range(8):
        open_incident(now=kst(2026, 11, 23, 10, 0))
    sla_sweep.sweep(now=kst(2026, 11, 24, 10, 0))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("sla:breaches") + "?month=2026-11")
    assert len(response.context["clocks"]) == 20
    assert len(many) == len(few)
