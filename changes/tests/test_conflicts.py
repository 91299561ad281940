"""Conflict detection over the CMDB graph: same CI, shared business service, freezes."""

from datetime import timedelta

import pytest

from changes import conflicts, services
from changes.choices import ChangeState as S, ChangeType as T
from changes.models import Change, FreezeWindow
from changes.tests.factories import START, make_change, make_ci, needs, schedule, service
from core.choices import Channel
from core.exceptions import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate():
    """Two servers under two applications that both serve the Payroll service; a lone server."""
    web1, web2, lone = make_ci("web1"), make_ci("web2"), make_ci("lone")
    app1, app2 = make_ci("app1", "application"), make_ci("app2", "application")
    payroll = service("Payroll")
    needs(app1, web1)
    needs(app2, web2)
    needs(payroll, app1)
    needs(payroll, app2)
    return {"web1": web1, "web2": web2, "lone": lone, "payroll": payroll}


def kinds(change):
    return sorted((c["kind"], c.get("number") or c.get("name")) for c in change.conflicts)


def read(change):
    """The change as a page or the API reads it: conflicts as of now."""
    return conflicts.current([Change.objects.get(pk=change.pk)])[0]


def test_downstream_impact_terminates_on_cycles(estate):
    needs(estate["web1"], estate["payroll"])  # a cycle payroll → app1 → web1 → payroll
    impact = conflicts.downstream_impact([estate["web1"].pk])
    assert impact.services == [estate["payroll"].pk]
    assert impact.ci_count == 2


def test_peer_links_are_not_dependencies(requester, manager, estate):
    # given: the lone server is meshed (connects_to) with web1, and another server's change
    # reaches Payroll only through that peer link
    needs(estate["lone"], estate["web1"], "connects_to")
    needs(estate["web1"], estate["lone"], "connects_to")
    # then: web1's impact does not follow the peer link; lone's impact reaches no service
    assert conflicts.downstream_impact([estate["web1"].pk]).ci_count == 2  # app1, payroll
    assert conflicts.downstream_impact([estate["lone"].pk]) == conflicts.Impact(services=[], ci_count=0)
    assert conflicts.services_by_ci([estate["lone"].pk]) == {estate["lone"].pk: []}
    first = schedule(make_change(requester, cis=[estate["web2"]]), requester, manager)
    second = schedule(make_change(requester, cis=[estate["lone"]]), requester, manager)
    assert kinds(second) == [] and kinds(read(first)) == []


@pytest.mark.parametrize("rel_type", ["depends_on", "runs_on", "hosted_on", "part_of"])
def test_every_dependency_type_carries_impact(rel_type, estate):
    needs(estate["payroll"], estate["lone"], rel_type)
    impact = conflicts.downstream_impact([estate["lone"].pk])
    assert impact.services == [estate["payroll"].pk]
    assert conflicts.services_by_ci([estate["lone"].pk]) == {estate["lone"].pk: [estate["payroll"].pk]}


def test_same_ci_overlap_warns(requester, manager, estate):
    first = schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    second = schedule(make_change(requester, cis=[estate["web1"]], start=START + timedelta(hours=1)),
                      requester, manager)
    assert second.state == S.SCHEDULED  # conflicts warn, they do not block
    assert kinds(second) == [("same_ci", first.number)]
    assert second.conflicts[0]["cis"] == [estate["web1"].pk]


def test_shared_business_service_warns(requester, manager, estate):
    first = schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    second = schedule(make_change(requester, cis=[estate["web2"]]), requester, manager)
    assert kinds(second) == [("shared_service", first.number)]
    assert second.conflicts[0]["services"] == [estate["payroll"].pk]
    # the earlier change shows the conflict too (read as of now, not stored on it)
    assert kinds(read(first)) == [("shared_service", second.number)]
    assert read(first).conflicts[0]["services"] == [estate["payroll"].pk]


def test_no_conflict_outside_window_or_graph(requester, manager, estate):
    schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    later = schedule(make_change(requester, cis=[estate["web1"]], start=START + timedelta(hours=2)),
                     requester, manager)  # touches end to start: no overlap
    unrelated = schedule(make_change(requester, cis=[estate["lone"]]), requester, manager)
    assert later.conflicts == []
    assert unrelated.conflicts == []


def test_cancelled_and_new_changes_do_not_conflict(requester, manager, estate):
    make_change(requester, cis=[estate["web1"]])  # still new
    change = schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    assert change.conflicts == []


def test_freeze_blocks_normal_change(requester, manager, estate):
    FreezeWindow.objects.create(name="Year-end close", start=START - timedelta(days=1), end=START + timedelta(days=1))
    change = make_change(requester, cis=[estate["web1"]])
    _a, change = services.decide_approval(
        __import__("changes.tests.factories", fromlist=["to_authorize"]).to_authorize(change, requester),
        actor=manager, channel=Channel.WEB, decision="approve")
    # approved, but the freeze keeps it out of the calendar
    change = Change.objects.get(pk=change.pk)
    assert change.state == S.AUTHORIZE
    assert change.approved_at is not None
    assert kinds(change) == [("freeze", "Year-end close")]
    with pytest.raises(DomainError) as info:
        services.transition_change(change, actor=requester, channel=Channel.WEB, target=S.SCHEDULED)
    assert info.value.code == "freeze"


def test_freeze_does_not_block_emergency(requester, manager, estate):
    FreezeWindow.objects.create(name="Year-end close", start=START - timedelta(days=1), end=START + timedelta(days=1))
    change = make_change(requester, cis=[estate["web1"]], type=T.EMERGENCY)
    change = services.transition_change(change, actor=requester, channel=Channel.WEB, target=S.AUTHORIZE)
    _a, change = services.decide_approval(change, actor=manager, channel=Channel.WEB, decision="approve")
    assert change.state == S.SCHEDULED
    assert change.conflicts[0]["kind"] == "freeze"
    assert change.conflicts[0]["blocking"] is False


def test_scoped_freeze_applies_only_to_its_services(requester, manager, estate):
    other = service("Intranet")
    freeze = FreezeWindow.objects.create(name="Intranet launch", start=START, end=START + timedelta(days=1))
    freeze.services.set([other])
    change = schedule(make_change(requester, cis=[estate["web1"]]), requester, manager)
    assert change.state == S.SCHEDULED and change.conflicts == []
    freeze.services.add(estate["payroll"])
    assert [c["kind"] for c in services.store_conflicts(change)] == ["freeze"]


def test_detection_is_few_queries(requester, manager, estate, django_assert_max_num_queries):
    for _ in range(5):
        schedule(make_change(requester, cis=[estate["web1"], estate["web2"]]), requester, manager)
    change = make_change(requester, cis=[estate["web1"]])
    # Impact walk, other changes, freezes.
    with django_assert_max_num_queries(3):
        impact, found, _at = conflicts.check_change(change, ci_ids=[estate["web1"].pk])
    assert len(found) == 5
