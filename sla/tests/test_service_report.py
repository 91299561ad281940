"""The monthly service report's arithmetic (sla.monthly), without HTTP, on a seeded November 2026 (KST).

Groupware: one incident opened in October and still open, three opened and resolved in November
after 2, 10 and 24 hours, one opened at 23:00 KST on 30 November (still November in Seoul, already
14:00 UTC). One incident without a service, open. Nothing at all in the ten months before October.
"""

import datetime as dt

import pytest

from core.choices import Channel
from incidents import services
from sla import monthly, reports
from sla import sweep as sla_sweep
from sla.tests.conftest import kst

pytestmark = pytest.mark.django_db

NOV = dt.date(2026, 11, 1)


@pytest.fixture
def seeded(definition, open_incident, agent, groupware, team, second_team):
    def resolve(incident, at):
        services.resolve(incident, actor=agent, channel=Channel.WEB, code="solved_permanently", notes="ok", now=at)

    made = {"old": open_incident(now=kst(2026, 10, 20, 10, 0), service=groupware, assignment_group=team)}
    for name, opened, hours in (("b", kst(2026, 11, 2, 10, 0, 0, 123456), 2), ("c", kst(2026, 11, 3, 10, 0), 10),
                                ("d", kst(2026, 11, 4, 10, 0), 24)):
        made[name] = open_incident(now=opened, service=groupware, assignment_group=team, title=name)
        resolve(made[name], opened + dt.timedelta(hours=hours))
    made["late_night"] = open_incident(now=kst(2026, 11, 30, 23, 0), service=groupware, assignment_group=team)
    made["no_service"] = open_incident(now=kst(2026, 11, 10, 10, 0), assignment_group=second_team[0])
    sla_sweep.sweep(now=kst(2026, 12, 1, 8, 0))
    return made


def build(**kwargs):
    return monthly.build(NOV, scope=reports.Scope(None), no_service_label="No service recorded", **kwargs)


def test_volumes_backlog_and_time_to_resolve_per_service(seeded):
    report = build()
    groupware = report.services[0]
    assert groupware.label == "Groupware"
    # b, c, d and the one opened at 23:00 KST on 30 November; the October one is backlog, not opened
    assert (groupware.month.opened, groupware.month.resolved, groupware.month.backlog) == (4, 3, 2)
    # 2, 10 and 24 hours: mean 12; p90 (interpolated, as percentile_cont) 10 + 0.8 × 14 = 21.2
    assert (groupware.month.mean_hours, groupware.month.p90_hours) == (12.0, 21.2)


def test_tickets_without_a_service_get_a_labelled_row_last(seeded):
    report = build()
    assert [row.label for row in report.services] == ["Groupware", "No service recorded"]
    no_service = report.services[-1]
    assert no_service.key == monthly.NO_SERVICE
    assert (no_service.month.opened, no_service.month.resolved, no_service.month.backlog) == (1, 0, 1)
    assert no_service.month.mean_hours is None


def test_totals_add_up_and_percentiles_are_over_all_tickets(seeded):
    total = build().total.month
    assert (total.opened, total.resolved, total.backlog) == (5, 3, 3)
    assert (total.mean_hours, total.p90_hours) == (12.0, 21.2)
    assert (total.clocks, total.met, total.breached, total.attainment) == (8, 1, 7, 12.5)


def test_attainment_per_target(seeded):
    groupware = build().services[0]
    assert [(t.kind, t.priority, t.target_minutes, t.clocks, t.met, t.attainment) for t in groupware.targets] == [
        ("resolution", 3, 240, 3, 1, 33.3),  # only b (2 hours) met its 240 business minutes
        ("response", 3, 60, 3, 0, 0.0),      # nobody responded within the hour
    ]
    # the late-night incident's clocks start on 1 December's business morning: nothing to count yet
    assert (groupware.month.clocks, groupware.month.met) == (6, 1)


def test_breach_list_with_reasons(seeded):
    breaches = build().breaches
    assert [(b.number, b.service, b.clock.kind) for b in breaches] == [
        (seeded["b"].number, "Groupware", "response"),
        (seeded["c"].number, "Groupware", "response"),
        (seeded["c"].number, "Groupware", "resolution"),
        (seeded["d"].number, "Groupware", "response"),
        (seeded["d"].number, "Groupware", "resolution"),
        (seeded["no_service"].number, "No service recorded", "response"),
        (seeded["no_service"].number, "No service recorded", "resolution"),
    ]
    assert breaches[0].reason == "ran without pause; finished 60 business minutes late"
    assert breaches[-1].reason == "ran without pause; still open"


def test_trend_has_twelve_months_with_zero_months_included(seeded):
    trend = build().total.trend
    assert [f.month for f in trend] == [reports.shift_month(NOV, -i) for i in range(11, -1, -1)]
    assert all((f.opened, f.resolved, f.backlog, f.clocks) == (0, 0, 0, 0) for f in trend[:10])
    october = trend[10]
    assert (october.opened, october.backlog, october.clocks, october.met) == (1, 1, 2, 0)
    groupware_trend = build().services[0].trend
    assert len(groupware_trend) == 12 and groupware_trend[-1].opened == 4


def test_months_are_cut_in_the_report_time_zone(seeded, open_incident, groupware):
    # 00:30 KST on 1 December is 15:30 UTC on 30 November: December in Seoul, November in UTC
    open_incident(now=kst(2026, 12, 1, 0, 30), service=groupware)
    assert build().total.month.opened == 5
    assert monthly.build(NOV, time_zone="UTC", scope=reports.Scope(None)).total.month.opened == 6


def test_report_queries_are_a_constant_few(seeded, django_assert_num_queries, open_incident, groupware):
    # volumes, attainment, service names, definition names, breaches, breach clocks, their events
    with django_assert_num_queries(7):
        build()
    for day in (5, 6, 9):
        open_incident(now=kst(2026, 11, day, 10, 0), service=groupware)
    sla_sweep.sweep(now=kst(2026, 12, 1, 8, 0))
    with django_assert_num_queries(7):
        report = build()
    assert report.total.month.opened == 8


class TestScope:
    def test_managers_and_admins_see_everything(self, manager, admin_user):
        assert reports.report_scope(manager).everything
        assert reports.report_scope(admin_user).everything

    def test_an_agent_sees_their_teams(self, agent, team):
        assert reports.report_scope(agent).teams == {team.pk}

    def test_an_agent_in_no_team_and_an_end_user_see_nothing(self, make_user, end_user):
        from accounts.roles import Role

        assert reports.report_scope(make_user(Role.AGENT, username="loner")).nothing
        assert reports.report_scope(end_user).nothing

    def test_an_agent_gets_only_their_teams_tickets(self, seeded, agent, second_team):
        mine = monthly.build(NOV, scope=reports.report_scope(agent), no_service_label="No service recorded")
        assert [row.label for row in mine.services] == ["Groupware"]
        assert (mine.total.month.opened, mine.total.month.backlog) == (4, 2)
        assert all(b.service == "Groupware" for b in mine.breaches)
        theirs = monthly.build(NOV, scope=reports.report_scope(second_team[1]), no_service_label="No service recorded")
        assert [row.label for row in theirs.services] == ["No service recorded"]
        assert theirs.total.month.opened == 1

    def test_nothing_is_an_empty_report_without_queries(self, seeded, django_assert_num_queries):
        with django_assert_num_queries(0):
            report = monthly.build(NOV, scope=reports.Scope(frozenset()))
        assert report.services == [] and report.total.month.opened == 0 and len(report.total.trend) == 12


# --- the page and its CSV -----------------------------------------------------------------------
URL = "/sla/reports/service/"
# session, user, roles; volumes, attainment, definition names, service names, breaches, their
# clocks and events, the organisations of the filter; the navigation's "My approvals" count
# Issue 13: +1, the navigation's approvals count asks the service requests' source too.
# Issue 12, fifth round: -1, the badge is one statement for every source (core.approvals); -1, the
# user's roles are kept per process (accounts.roles.membership).
PAGE_QUERIES = 11


def _csv(response):
    import csv
    import io

    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


class TestCsv:
    def test_elapsed_minutes_stop_at_the_breach_not_now(self, client, manager, seeded):
        client.force_login(manager)
        rows = _csv(client.get(URL + "?month=2026-11&service=none&format=csv"))
        # the incident without a service is still open, weeks after its breaches: its count stops there
        assert [(r["service"], r["kind"], r["outcome"], r["elapsed_business_minutes"]) for r in rows] == [
            ("No service recorded", "response", "breached", "60.0"),
            ("No service recorded", "resolution", "breached", "240.0"),
        ]
        assert rows[0]["stopped_at"] == "" and rows[0]["elapsed_business_minutes_at_stop"] == ""

    def test_a_met_clock_counts_to_its_stop_and_a_stopped_breach_says_both(self, client, manager, seeded, groupware):
        client.force_login(manager)
        rows = _csv(client.get(URL + f"?month=2026-11&service={groupware.pk}&format=csv"))
        c_resolution = next(r for r in rows if r["ticket"] == seeded["c"].number and r["kind"] == "resolution")
        assert (c_resolution["elapsed_business_minutes"], c_resolution["elapsed_business_minutes_at_stop"]) \
            == ("240.0", "480.0")
        b_resolution = next(r for r in rows if r["ticket"] == seeded["b"].number and r["kind"] == "resolution")
        assert (b_resolution["outcome"], b_resolution["elapsed_business_minutes"]) == ("met", "120.0")

    def test_timestamps_are_to_the_second_in_the_report_zone(self, client, manager, seeded):
        client.force_login(manager)
        rows = _csv(client.get(URL + "?month=2026-11&format=csv"))
        b_response = next(r for r in rows if r["ticket"] == seeded["b"].number and r["kind"] == "response")
        # opened at 10:00:00.123456 KST: no microseconds, Seoul's offset
        assert b_response["started_at"] == "2026-11-02T10:00:00+09:00"
        assert b_response["outcome_at"] == "2026-11-02T11:00:00+09:00"
        assert b_response["stopped_at"] == "2026-11-02T12:00:00+09:00"

    def test_an_organisation_report_writes_its_own_zone(self, client, manager, seeded, end_user):
        organisation = end_user.organisation
        organisation.time_zone = "Europe/Berlin"
        organisation.save()
        client.force_login(manager)
        rows = _csv(client.get(URL + f"?month=2026-11&organisation={organisation.pk}&format=csv"))
        b_response = next(r for r in rows if r["ticket"] == seeded["b"].number and r["kind"] == "response")
        assert b_response["started_at"] == "2026-11-02T02:00:00+01:00"

    def test_an_agent_downloads_their_teams_rows_only(self, client, agent, seeded):
        client.force_login(agent)
        rows = _csv(client.get(URL + "?month=2026-11&format=csv"))
        assert rows and {r["service"] for r in rows} == {"Groupware"}


class TestPage:
    def test_manager_sees_every_service_the_labelled_row_totals_and_chart(self, client, manager, seeded):
        client.force_login(manager)
        response = client.get(URL + "?month=2026-11")
        body = response.content.decode()
        assert [row.label for row in response.context["services"]] == ["Groupware", "No service recorded"]
        assert "—" not in body.split('data-testid="service-table"')[1].split("</table>")[0]
        assert response.context["total"].month.opened == 5
        assert 'data-testid="trend-chart"' in body and "<title id=\"trend-title\">" in body
        assert "style=" not in body.split('data-testid="trend"')[1].split("</section>")[0]

    def test_selecting_no_service_shows_its_targets_and_breaches(self, client, manager, seeded):
        client.force_login(manager)
        response = client.get(URL + "?month=2026-11&service=none")
        assert response.context["selected"].label == "No service recorded"
        assert [b.number for b in response.context["breaches"]] == [seeded["no_service"].number] * 2

    def test_an_agent_sees_their_teams_figures_and_is_told_so(self, client, agent, seeded):
        client.force_login(agent)
        response = client.get(URL + "?month=2026-11")
        assert [row.label for row in response.context["services"]] == ["Groupware"]
        assert "Tickets assigned to your teams only" in response.content.decode()

    def test_an_agent_in_no_team_sees_nothing(self, client, make_user, seeded):
        from accounts.roles import Role

        client.force_login(make_user(Role.AGENT, username="loner"))
        response = client.get(URL + "?month=2026-11")
        assert response.status_code == 200
        assert response.context["services"] == [] and response.context["breaches"] == []
        assert "you are in no assignment group" in response.content.decode()
        assert _csv(client.get(URL + "?month=2026-11&format=csv")) == []

    def test_end_users_are_refused(self, client, end_user):
        client.force_login(end_user)
        assert client.get(URL).status_code == 403

    def test_a_malformed_service_or_month_is_no_error(self, client, manager, seeded):
        client.force_login(manager)
        response = client.get(URL + "?month=2026-13x&service=abc")
        assert response.status_code == 200 and response.context["selected"] is None

    def test_the_page_runs_a_constant_number_of_queries(self, client, manager, seeded, open_incident, groupware):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(manager)
        client.get(URL + "?month=2026-11")
        with CaptureQueriesContext(connection) as before:
            client.get(URL + "?month=2026-11")
        for day in (5, 6, 9):
            open_incident(now=kst(2026, 11, day, 10, 0), service=groupware)
        sla_sweep.sweep(now=kst(2026, 12, 1, 8, 0))
        with CaptureQueriesContext(connection) as after:
            client.get(URL + "?month=2026-11")
        assert len(after) == len(before)
        assert len(after) == PAGE_QUERIES


def test_compliance_report_is_scoped_too(client, agent, second_team, seeded):
    client.force_login(second_team[1])
    response = client.get("/sla/reports/?month=2026-11&by=service")
    assert [row.label for row in response.context["rows"]] == ["No service recorded"]
    client.force_login(agent)
    response = client.get("/sla/reports/?month=2026-11&by=service")
    assert [row.label for row in response.context["rows"]] == ["Groupware"]
    assert "Tickets assigned to your teams only" in response.content.decode()


def test_breach_times_on_the_page_are_in_the_report_zone(client, manager, seeded, end_user):
    organisation = end_user.organisation
    organisation.time_zone = "Europe/Berlin"
    organisation.save()
    client.force_login(manager)
    body = client.get(URL + f"?month=2026-11&organisation={organisation.pk}").content.decode()
    breaches = body.split('data-testid="report-breaches"')[1].split("</table>")[0]
    assert "11-02 03:00" in breaches  # b's response breached at 11:00 KST, 03:00 in Berlin
