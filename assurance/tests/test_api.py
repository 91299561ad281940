"""API v1 iso/ resources of assurance: 400s naming the field, 404 for odd ids, 409 on a stale
version, who may write, constant query counts on lists."""

import datetime as dt

import pytest

from assurance import services
from assurance.models import Audit, CertificationEvent, Finding, ManagementReview
from core.choices import Channel

WEB = Channel.WEB
pytestmark = pytest.mark.django_db


def _audit_body(manager, **extra):
    return {"title": "Incident management", "scope": ["8.6"], "planned_date": "2026-03-10",
            "lead_auditor": manager.pk, **extra}


def test_a_manager_plans_an_audit_and_moves_it(manager_api, manager, programme):
    # when
    created = manager_api.post("/api/v1/iso/audits/", _audit_body(manager), format="json")
    # then
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["number"], body["state"], body["programme"], body["independence_conflict"]) == \
        ("AUD-2026-01", "planned", programme.pk, False)
    moved = manager_api.patch(f"/api/v1/iso/audits/{body['id']}/", {"state": "in_progress", "version": 1},
                              format="json")
    assert moved.status_code == 200 and moved.json()["state"] == "in_progress" and moved.json()["version"] == 2


@pytest.mark.parametrize("change, field", [
    ({"scope": ["8.6", "12.1"]}, "scope"),
    ({"scope": []}, "scope"),
    ({"scope": "8.6"}, "scope"),
    ({"planned_date": "2031-01-01"}, "planned_date"),
    ({"planned_date": "soon"}, "planned_date"),
    ({"lead_auditor": 999999}, "lead_auditor"),
    ({"state": "closed"}, "state"),
    ({"title": ""}, "title"),
])
def test_a_bad_audit_is_refused_naming_the_field(manager_api, manager, programme, change, field):
    answer = manager_api.post("/api/v1/iso/audits/", _audit_body(manager, **change), format="json")
    assert answer.status_code == 400
    assert field in answer.json()
    assert Audit.objects.count() == 0


def test_an_end_user_as_lead_auditor_is_refused(manager_api, manager, programme, end_user):
    answer = manager_api.post("/api/v1/iso/audits/", _audit_body(manager, lead_auditor=end_user.pk), format="json")
    assert answer.status_code == 400 and "lead_auditor" in answer.json()


def test_a_refused_move_names_the_allowed_states(manager_api, make_audit):
    audit = make_audit()
    answer = manager_api.patch(f"/api/v1/iso/audits/{audit.pk}/", {"state": "closed"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["allowed"] == ["in_progress"]


def test_a_stale_version_answers_409(manager_api, make_audit):
    audit = make_audit()
    answer = manager_api.patch(f"/api/v1/iso/audits/{audit.pk}/", {"title": "Other", "version": 9}, format="json")
    assert answer.status_code == 409 and answer.json()["current_version"] == 1
    assert Audit.objects.get(pk=audit.pk).title == "Incident management"


@pytest.mark.parametrize("path", ["audits", "findings", "reviews", "review-actions", "certification-events",
                                  "audit-programmes"])
@pytest.mark.parametrize("key", ["0", "999999", "abc", "1.5", "99999999999999999999"])
def test_odd_ids_are_json_404(agent_api, path, key):
    answer = agent_api.get(f"/api/v1/iso/{path}/{key}/")
    assert answer.status_code == 404 and "detail" in answer.json()


def test_agents_read_and_may_not_write(agent_api, agent, make_audit):
    make_audit()
    assert agent_api.get("/api/v1/iso/audits/").json()["count"] == 1
    answer = agent_api.post("/api/v1/iso/audits/", _audit_body(agent), format="json")
    assert answer.status_code == 403


def test_end_users_are_refused(end_user_api, make_audit):
    make_audit()
    assert end_user_api.get("/api/v1/iso/audits/").status_code == 403


def test_a_nonconformity_through_the_api_links_its_corrective_action(manager_api, audit_in_progress, agent):
    answer = manager_api.post("/api/v1/iso/findings/", {
        "audit": audit_in_progress.pk, "kind": "minor_nc", "clauses": ["8.6.1"], "description": "Notes missing",
        "evidence_records": ["INC0001234"], "owner": agent.pk, "due_date": "2026-06-01"}, format="json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["number"] == "AUD-2026-01-F1"
    assert body["corrective_action"]["number"].startswith("IMP")
    # closing it while the action is open needs a reason
    refused = manager_api.patch(f"/api/v1/iso/findings/{body['id']}/", {"state": "closed"}, format="json")
    assert refused.status_code == 400 and "closure_note" in refused.json()
    closed = manager_api.patch(f"/api/v1/iso/findings/{body['id']}/",
                               {"state": "closed", "closure_note": "Accepted"}, format="json")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"


@pytest.mark.parametrize("change, field", [
    ({"clauses": ["4.9"]}, "clauses"), ({"kind": "critical"}, "kind"), ({"audit": 0}, "audit"),
    ({"description": ""}, "description"),
])
def test_a_bad_finding_is_refused_naming_the_field(manager_api, audit_in_progress, change, field):
    body = {"audit": audit_in_progress.pk, "kind": "ofi", "clauses": ["7.6"], "description": "x", **change}
    answer = manager_api.post("/api/v1/iso/findings/", body, format="json")
    assert answer.status_code == 400 and field in answer.json()
    assert Finding.objects.count() == 0


def test_a_review_with_its_pack_and_actions(manager_api, manager):
    created = manager_api.post("/api/v1/iso/reviews/", {
        "title": "Annual review", "held_on": "2026-11-20", "period_start": "2025-11-01", "period_end": "2026-10-31",
        "risks": [{"risk": "Key supplier", "rating": "high", "treatment": "Quarterly review"}]}, format="json")
    assert created.status_code == 201, created.json()
    review_id = created.json()["id"]
    generated = manager_api.post(f"/api/v1/iso/reviews/{review_id}/generate-pack/")
    assert generated.status_code == 200
    assert generated.json()["pack"]["risks"][0]["risk"] == "Key supplier"
    action = manager_api.post("/api/v1/iso/review-actions/", {"review": review_id, "title": "Renew contracts",
                                                              "owner": manager.pk, "due_date": "2026-01-01"},
                              format="json")
    assert action.status_code == 201 and action.json()["overdue"] is True and action.json()["state"] == "open"


@pytest.mark.parametrize("body, field", [
    ({"period_end": "2020-01-01"}, "period_end"),
    ({"risks": [{"rating": "high"}]}, "risks"),
    ({"risks": "many"}, "risks"),
    ({"held_on": None}, "held_on"),
])
def test_a_bad_review_is_refused_naming_the_field(manager_api, body, field):
    answer = manager_api.post("/api/v1/iso/reviews/", {"title": "x", "held_on": "2026-11-20",
                                                       "period_start": "2025-11-01", "period_end": "2026-10-31",
                                                       **body}, format="json")
    assert answer.status_code == 400 and field in answer.json()
    assert ManagementReview.objects.count() == 0


def test_certification_events_and_the_next_due_date(manager_api, agent_api):
    for kind, date in (("stage1", "2025-04-01"), ("stage2", "2025-06-01"), ("decision", "2025-07-15")):
        assert manager_api.post("/api/v1/iso/certification-events/", {"kind": kind, "date": date},
                                format="json").status_code == 201
    due = agent_api.get("/api/v1/iso/certification-events/next-due/").json()
    assert due == {"kind": "surveillance", "date": "2026-07-15", "anchor": "2025-07-15", "overdue": True}
    refused = manager_api.post("/api/v1/iso/certification-events/", {"kind": "stage3", "date": "2025-01-01"},
                               format="json")
    assert refused.status_code == 400 and "kind" in refused.json()
    event = CertificationEvent.objects.get(kind="stage1")
    assert manager_api.delete(f"/api/v1/iso/certification-events/{event.pk}/").status_code == 204
    assert agent_api.delete(f"/api/v1/iso/certification-events/{event.pk}/").status_code == 403


def test_programmes_show_their_coverage(manager_api, make_audit):
    make_audit(scope=["8.6"])
    body = manager_api.get("/api/v1/iso/audit-programmes/").json()["results"][0]
    assert body["coverage"]["years"] == [2025, 2026, 2027]
    rows = {row["clause"]: row["years"] for row in body["coverage"]["rows"]}
    assert rows["8.6.1"] == {"2025": "", "2026": "planned", "2027": ""}
    assert "4.1" in body["coverage"]["uncovered"] and "8.6.1" not in body["coverage"]["uncovered"]
    duplicate = manager_api.post("/api/v1/iso/audit-programmes/", {"name": "x", "start_year": 2025}, format="json")
    assert duplicate.status_code == 400 and "start_year" in duplicate.json()


def _many(manager, make_audit, n):
    from accounts.models import Team

    teams = [Team.objects.create(name=f"T{i}") for i in range(2)]
    for i in range(n):
        audit = make_audit(title=f"A{i}", audited_teams=teams)
        audit, _d = services.update_audit(audit, actor=manager, channel=WEB, changes={"state": "in_progress"})
        finding = services.add_finding(audit, actor=manager, channel=WEB, kind="minor_nc", clauses=["8.6.1"],
                                       description="x")
        review = services.create_review(actor=manager, channel=WEB, title=f"R{i}", held_on=dt.date(2026, 1, 1),
                                        period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31))
        services.add_action(review, actor=manager, channel=WEB, title="x", owner=manager)
        services.create_certification_event(actor=manager, channel=WEB, kind="surveillance",
                                            date=dt.date(2026, 1, 1 + i))
        assert finding.corrective_action


# Queries of a list besides authentication (the token with its user, the roles): count + page (+ prefetches).
@pytest.mark.parametrize("path, queries", [
    ("audits", 4), ("findings", 2), ("reviews", 3), ("review-actions", 2), ("certification-events", 2),
    ("audit-programmes", 3),
])
def test_lists_run_a_constant_number_of_queries(manager_api, manager, make_audit, django_assert_num_queries,
                                                path, queries):
    _many(manager, make_audit, 4)
    manager_api.get(f"/api/v1/iso/{path}/")  # warm the token's user and role cache paths
    with django_assert_num_queries(queries + 1):
        answer = manager_api.get(f"/api/v1/iso/{path}/")
    assert answer.status_code == 200 and answer.json()["count"] >= 1


def test_lists_filter_by_clause_and_survive_odd_input(agent_api, make_audit):
    make_audit(scope=["8.6"])
    make_audit(scope=["9.2"], title="Audit of audits")
    assert [a["title"] for a in agent_api.get("/api/v1/iso/audits/?clause=9.2").json()["results"]] == \
        ["Audit of audits"]
    refused = agent_api.get("/api/v1/iso/audits/?clause=9.2%00")
    assert refused.status_code == 400 and "clause" in refused.json()
    assert agent_api.get("/api/v1/iso/findings/?clause=%00").status_code == 400
    assert agent_api.get("/api/v1/iso/audits/?state=nonsense").status_code == 400
