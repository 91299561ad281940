"""Conflicts are current whenever a change is read (issue 10, defect 8): while it is assessed
and authorised, after another change is cancelled or moved, after its own window or CIs change,
after a freeze is declared; on the change page, the list, and the API detail and list."""

from datetime import timedelta

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from changes import conflicts, services
from changes.choices import ChangeState as S
from changes.models import Change, FreezeWindow
from changes.tests.factories import START, make_change, make_ci, needs, schedule, service, to_authorize
from core.choices import Channel

pytestmark = pytest.mark.django_db
API = "/api/v1/changes/"


@pytest.fixture
def estate():
    web1, web2, lone = make_ci("web1"), make_ci("web2"), make_ci("lone")
    payroll = service("Payroll")
    needs(payroll, web1)
    needs(payroll, web2)
    return {"web1": web1, "web2": web2, "lone": lone, "payroll": payroll}


def api_conflicts(api, change):
    response = api.get(f"{API}{change.pk}/")
    assert response.status_code == 200
    return [(c["kind"], c.get("number") or c.get("name")) for c in response.json()["conflicts"]]


def listed_conflicts(api):
    return {row["number"]: [(c["kind"], c.get("number")) for c in row["conflicts"]]
            for row in api.get(API, {"page_size": 50}).json()["results"]}


def test_a_change_being_assessed_sees_the_scheduled_change_it_overlaps(agent_api, requester, manager, estate):
    scheduled = schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    assessed = services.transition_change(make_change(requester, cis=[estate["web1"]]), actor=requester,
                                          channel=Channel.WEB, target=S.ASSESS)

    assert api_conflicts(agent_api, assessed) == [("same_ci", scheduled.number)]
    assert listed_conflicts(agent_api)[assessed.number] == [("same_ci", scheduled.number)]


def test_approvers_see_conflicts_while_authorising(client, manager, requester, estate):
    scheduled = schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    waiting = to_authorize(make_change(requester, cis=[estate["web2"]]), requester)
    client.force_login(manager)

    page = client.get(f"/changes/{waiting.pk}/").content.decode()

    assert 'data-testid="conflicts"' in page and scheduled.number in page


def test_a_cancelled_change_drops_out_of_the_others_conflicts(agent_api, requester, manager, estate):
    first = schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    second = schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    assert api_conflicts(agent_api, first) == [("same_ci", second.number)]

    services.transition_change(second, actor=requester, channel=Channel.WEB, target=S.CANCELLED)

    assert api_conflicts(agent_api, first) == []
    listed = listed_conflicts(agent_api)
    assert (listed[first.number], listed[second.number]) == ([], [])


def test_a_change_sent_back_and_moved_drops_out(agent_api, requester, manager, estate):
    first = schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    second = schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    second = services.transition_change(second, actor=requester, channel=Channel.WEB, target=S.ASSESS)
    moved = START + timedelta(days=3)

    second = services.update_change(second, actor=requester, channel=Channel.WEB,
                                    changes={"planned_start": moved, "planned_end": moved + timedelta(hours=2)})
    second = services.transition_change(second, actor=requester, channel=Channel.WEB, target=S.AUTHORIZE)
    _approval, second = services.decide_approval(second, actor=manager, channel=Channel.WEB, decision="approve")
    assert (second.state, second.planned_start) == (S.SCHEDULED, moved)

    assert api_conflicts(agent_api, first) == []
    assert api_conflicts(agent_api, second) == []


def test_editing_the_window_or_the_cis_changes_the_conflicts_at_once(agent_api, requester, manager, estate):
    scheduled = schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    change = make_change(requester, cis=[estate["lone"]], start=START + timedelta(days=1))
    assert api_conflicts(agent_api, change) == []

    change = services.update_change(change, actor=requester, channel=Channel.WEB,
                                    changes={"planned_start": START, "planned_end": START + timedelta(hours=1)})
    assert api_conflicts(agent_api, change) == []  # same window now, but no CI or service in common
    change = services.update_change(change, actor=requester, channel=Channel.WEB, changes={},
                                    affected_cis=[estate["web2"]])
    assert api_conflicts(agent_api, change) == [("shared_service", scheduled.number)]


def test_a_freeze_declared_later_shows_on_the_scheduled_change(agent_api, client, agent, requester, manager,
                                                              estate):
    change = schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    FreezeWindow.objects.create(name="Year-end close", start=START - timedelta(days=1), end=START + timedelta(days=1))

    assert api_conflicts(agent_api, change) == [("freeze", "Year-end close")]
    client.force_login(agent)
    assert "Year-end close" in client.get(f"/changes/{change.pk}/").content.decode()


def test_the_desk_list_flags_current_conflicts(client, agent, requester, manager, estate):
    schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    assessed = services.transition_change(make_change(requester, cis=[estate["web1"]], title="Swap the disks"),
                                          actor=requester, channel=Channel.WEB, target=S.ASSESS)
    client.force_login(agent)

    html = client.get("/changes/").content.decode()

    row = html[html.index(assessed.number):]
    row = row[:row.index("</tr>")]
    assert "⚠ 1" in row


def test_cancelled_changes_and_changes_without_a_window_have_none(requester, manager, estate):
    schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    undated = make_change(requester, cis=[estate["web1"]], start=None)
    cancelled = services.transition_change(make_change(requester, cis=[estate["web1"]]), actor=requester,
                                           channel=Channel.WEB, target=S.CANCELLED)
    assert [c.conflicts for c in conflicts.current([undated, cancelled])] == [[], []]


def test_a_page_of_changes_costs_three_queries(requester, manager, estate):
    for _ in range(4):
        schedule(make_change(requester, cis=[estate["web1"], estate["web2"]]), requester, manager)
    FreezeWindow.objects.create(name="Year-end close", start=START - timedelta(days=1), end=START + timedelta(days=1))
    page = list(Change.objects.all())
    with CaptureQueriesContext(connection) as queries:
        conflicts.current(page)
    assert len(queries.captured_queries) == 3
    assert all(len(change.conflicts) == 4 for change in page)  # three other changes and the freeze
