"""The portable conflict path (what the embedded SQLite database runs) gives the same answers
as the PostgreSQL set-based SQL. On PostgreSQL both are called side by side; on SQLite the
public functions already take the portable path, so the comparisons still hold."""

from datetime import timedelta

import pytest
from django.db import models

from changes import conflicts
from changes.models import Change, FreezeWindow
from changes.tests.factories import START, make_change, make_ci, needs, schedule, service

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar(requester, manager):
    """Servers behind two applications of the Payroll service, a lone server of the Intranet,
    scheduled changes around START, a change still new, and freezes of every kind."""
    web1, web2, lone = make_ci("web1"), make_ci("web2"), make_ci("lone")
    app1, app2 = make_ci("app1", "application"), make_ci("app2", "application")
    payroll, intranet = service("Payroll"), service("Intranet")
    needs(app1, web1)
    needs(app2, web2)
    needs(payroll, app1)
    needs(payroll, app2)
    needs(intranet, lone)
    needs(web1, payroll)  # a cycle: the walks must terminate
    needs(lone, web1, "connects_to")  # peer links: never walked, so lone's impact stays the Intranet
    needs(web2, lone, "connects_to")
    changes = [
        schedule(make_change(requester, cis=[web1]), requester, manager),
        schedule(make_change(requester, cis=[web2], start=START + timedelta(hours=1)), requester, manager),
        schedule(make_change(requester, cis=[lone], start=START + timedelta(minutes=30)), requester, manager),
        schedule(make_change(requester, cis=[web1, web2], start=START + timedelta(hours=3)), requester, manager),
    ]
    make_change(requester, cis=[web1])  # new: holds no slot
    FreezeWindow.objects.create(name="Everything", start=START + timedelta(hours=1), end=START + timedelta(hours=5))
    scoped = FreezeWindow.objects.create(name="Intranet launch", start=START - timedelta(days=1),
                                         end=START + timedelta(days=1))
    scoped.services.set([intranet])
    FreezeWindow.objects.create(name="Off", start=START, end=START + timedelta(days=1), active=False)
    FreezeWindow.objects.create(name="Later", start=START + timedelta(days=3), end=START + timedelta(days=4))
    cis = {ci.name: ci.pk for ci in (web1, web2, lone, app1, app2, payroll, intranet)}
    return {"cis": cis, "changes": changes}


PROBES = [
    # (CI names, start offset hours, length hours, exclude the first change)
    (["web1"], 0, 2, False),
    (["web1"], 0, 2, True),
    (["web2", "lone"], -1, 6, False),
    (["lone"], 0, 1, False),
    (["web1"], 2, 1, False),  # touches the first change end to start
    (["app1", "web2"], -48, 120, False),
    ([], 0, 24, False),
]


@pytest.mark.parametrize("names,offset,hours,exclude_first", PROBES)
def test_detect_portable_matches(calendar, names, offset, hours, exclude_first):
    ci_ids = [calendar["cis"][n] for n in names]
    impact = conflicts.downstream_impact(ci_ids)
    assert conflicts.downstream_impact_portable(ci_ids) == impact
    start = START + timedelta(hours=offset)
    args = {"change_id": calendar["changes"][0].pk if exclude_first else None, "ci_ids": ci_ids,
            "services": impact.services, "start": start, "end": start + timedelta(hours=hours)}
    expected = conflicts.detect(**args)
    assert conflicts.detect_portable(**args) == expected
    if names == ["web2", "lone"]:  # the probe meant to see every kind
        assert {c["kind"] for c in expected} == {"same_ci", "shared_service", "freeze"}


def test_impact_portable_matches(calendar):
    everything = list(calendar["cis"].values())
    assert conflicts.services_by_ci_portable(everything) == conflicts.services_by_ci(everything)
    assert conflicts.services_by_ci_portable(everything, chunk=2) == conflicts.services_by_ci(everything)
    assert conflicts.downstream_impact_portable([]) == conflicts.downstream_impact([])
    web1 = conflicts.downstream_impact_portable([calendar["cis"]["web1"]])
    assert web1.services == [calendar["cis"]["Payroll"]]
    assert web1.ci_count == 2  # app1, payroll (the cycle back to web1 is not counted; nor is peer lone)
    lone = calendar["cis"]["lone"]
    for impact in (conflicts.downstream_impact([lone]), conflicts.downstream_impact_portable([lone])):
        assert impact == conflicts.Impact(services=[calendar["cis"]["Intranet"]], ci_count=1)
    for by_ci in (conflicts.services_by_ci(everything), conflicts.services_by_ci_portable(everything)):
        assert by_ci[lone] == [calendar["cis"]["Intranet"]]
        assert by_ci[calendar["cis"]["web2"]] == [calendar["cis"]["Payroll"]]


def test_mirror_portable_matches(calendar, requester):
    first, second = calendar["changes"][:2]
    newcomer = make_change(requester, cis=[Change.objects.get(pk=first.pk).affected_cis.get()])
    found = conflicts.check_change(newcomer)[1]
    assert {c.get("number") for c in found} >= {first.number, second.number}
    before = dict(Change.objects.values_list("pk", "conflicts"))

    def after(mirror):
        for pk, value in before.items():
            Change.objects.filter(pk=pk).update(conflicts=value)
        counts = [mirror(newcomer, found), mirror(newcomer, found)]  # the second replaces, never duplicates
        return counts, dict(Change.objects.values_list("pk", "conflicts"))

    native, portable = after(conflicts.mirror), after(conflicts.mirror_portable)
    assert portable == native
    mirrored = native[1][first.pk]
    assert [e.get("number") for e in mirrored].count(newcomer.number) == 1


def test_scheduling_on_the_portable_path(monkeypatch, requester, manager):
    """The whole service flow as SQLite runs it: schedule, detect, mirror, re-check."""
    monkeypatch.setattr(conflicts, "_postgres", lambda: False)
    web1, web2, app = make_ci("web1"), make_ci("web2"), make_ci("app", "application")
    payroll = service("Payroll")
    needs(app, web1)
    needs(app, web2)
    needs(payroll, app)
    first = schedule(make_change(requester, cis=[web1]), requester, manager)
    second = schedule(make_change(requester, cis=[web2]), requester, manager)
    assert second.impacted_services == [payroll.pk]
    assert [(c["kind"], c["number"]) for c in second.conflicts] == [("shared_service", first.number)]
    assert [(c["kind"], c["number"]) for c in Change.objects.get(pk=first.pk).conflicts] == [
        ("shared_service", second.number)]
    assert list(Change.objects.filter(impacted_services__contains=[payroll.pk]).order_by("pk")) == [first, second]
    assert not Change.objects.filter(impacted_services__contains=[payroll.pk, web1.pk]).exists()


def test_model_declares_no_postgres_only_index():
    """GiST/GIN indexes live in migration 0002 (PostgreSQL only): declared in Meta they break
    `migrate` on SQLite, the embedded default database."""
    for index in Change._meta.indexes:
        assert type(index) is models.Index, index.name
        assert not index.expressions, index.name
