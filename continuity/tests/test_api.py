from datetime import timedelta

import pytest
from django.utils import timezone

from continuity.models import ContinuityPlan, ContinuityTest, Invocation
from core import services as core_services
from core.choices import Channel
from documents.models import Document

pytestmark = pytest.mark.django_db


def test_create_a_plan_for_a_bcp_document(agent_api, agent, payroll):
    document = core_services.create_ticket(Document, actor=agent, channel=Channel.WEB, title="Payroll BCP", kind="bcp")
    response = agent_api.post("/api/v1/continuity/plans/", {
        "document": document.pk, "services": [payroll["service"].pk], "rto_minutes": 60, "rpo_minutes": 5,
        "contacts": [{"name": "Kim", "phone": "010"}], "steps": ["one", "two"], "test_interval_days": 90},
        format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["steps"], body["overdue"], body["retest_required"]) == ("bcp", ["one", "two"], False, False)


def test_a_policy_document_cannot_carry_a_plan(agent_api, agent):
    document = core_services.create_ticket(Document, actor=agent, channel=Channel.WEB, title="Policy", kind="policy")
    response = agent_api.post("/api/v1/continuity/plans/", {"document": document.pk, "rto_minutes": 1,
                                                             "rpo_minutes": 1}, format="json")
    assert response.status_code == 400 and "document" in response.json()
    assert not ContinuityPlan.objects.exists()


def test_record_a_test_and_an_invocation(agent_api, drp):
    response = agent_api.post("/api/v1/continuity/tests/", {
        "plan": drp.pk, "date": str(timezone.localdate()), "kind": "tabletop", "result": "passed_with_findings",
        "findings": "Contact list out of date"}, format="json")
    assert response.status_code == 201, response.json()
    started = timezone.now() - timedelta(hours=2)
    response = agent_api.post("/api/v1/continuity/invocations/", {
        "plan": drp.pk, "started": started.isoformat(), "ended": (started - timedelta(hours=1)).isoformat(),
        "reason": "Fire"}, format="json")
    assert response.status_code == 400 and "ended" in response.json()
    assert not Invocation.objects.exists()
    assert ContinuityTest.objects.get().findings == "Contact list out of date"


def test_a_test_in_the_future_is_refused(agent_api, drp):
    response = agent_api.post("/api/v1/continuity/tests/", {
        "plan": drp.pk, "date": str(timezone.localdate() + timedelta(days=3)), "kind": "full", "result": "passed"},
        format="json")
    assert response.status_code == 400 and "date" in response.json()


def test_plan_list_query_count_is_constant(agent_api, agent, drp, django_assert_num_queries):
    for n in range(4):
        document = core_services.create_ticket(Document, actor=agent, channel=Channel.WEB, title=f"DRP {n}", kind="drp")
        from continuity import services
        services.create_plan(actor=agent, channel=Channel.WEB, document=document, rto_minutes=1, rpo_minutes=1)
    agent_api.get("/api/v1/continuity/plans/")
    with django_assert_num_queries(4):  # token user with roles, count, page, services prefetch
        response = agent_api.get("/api/v1/continuity/plans/")
    assert response.json()["count"] == 5


def test_end_users_do_not_see_plans(end_user_api, drp):
    assert end_user_api.get("/api/v1/continuity/plans/").status_code == 403


def test_an_invocation_recorded_on_the_desk_links_its_incident(client, agent, drp, end_user):
    from problems.tests.factories import make_incident

    incident = make_incident(end_user, title="Data centre power failure")
    client.force_login(agent)
    response = client.post(f"/continuity/{drp.pk}/invocations/", {
        "started": "2026-12-01T08:00", "ended": "2026-12-01T11:30", "reason": "Power failure",
        "incident_number": incident.number.lower()})
    assert response.status_code == 302
    assert Invocation.objects.get().incident == incident
    response = client.post(f"/continuity/{drp.pk}/invocations/", {
        "started": "2026-12-01T08:00", "reason": "Again", "incident_number": "INC9999999"})
    assert response.status_code == 400 and "No incident INC9999999." in response.content.decode()
    assert Invocation.objects.count() == 1
