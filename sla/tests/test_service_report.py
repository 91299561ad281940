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
