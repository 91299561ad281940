"""The approvals inbox registry: any ticket app's source plugs in; the list is oldest first and
worked out once per request (the navigation and the page share it)."""

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from core import approvals


def item(number, day, kind="request"):
    return approvals.PendingApproval(kind=kind, kind_label="Request", number=number, title="t", url="/x/",
                                     stage="Line manager", requested_by="someone",
                                     since=datetime(2026, 1, day, tzinfo=timezone.utc))


@pytest.fixture
def request_source():
    calls = []

    def pending(user):
        calls.append(user)
        return [item("REQ2", 5), item("REQ1", 3)]

    saved = dict(approvals._sources)
    approvals.register("request", label="Requests", pending=pending)
    yield calls
    approvals._sources.clear()
    approvals._sources.update(saved)


def person():
    return SimpleNamespace(is_authenticated=True, pk=1)


def test_a_registered_source_shows_oldest_first(request_source, monkeypatch):
    monkeypatch.setattr(approvals, "_sources", {"request": approvals._sources["request"]})
    assert [i.number for i in approvals.pending_for(person())] == ["REQ1", "REQ2"]


def test_anonymous_has_no_approvals(request_source):
    assert approvals.pending_for(SimpleNamespace(is_authenticated=False)) == []
    assert request_source == []


def test_worked_out_once_per_request(request_source, monkeypatch):
    monkeypatch.setattr(approvals, "_sources", {"request": approvals._sources["request"]})
    request = SimpleNamespace(user=person())
    mine = approvals.MyApprovals(request)
    assert mine.count == 2 and [i.number for i in mine.items] == ["REQ1", "REQ2"]
    assert approvals.pending_for_request(request) is mine.items
    assert len(request_source) == 1


def test_nothing_is_worked_out_until_a_template_asks(request_source):
    approvals.MyApprovals(SimpleNamespace(user=person()))
    assert request_source == []
