"""Suspected changes (ranked by nearness, linkable as the cause) and the desk pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from changes import services as change_services
from changes.models import Change
from cmdb.tests.factories import make_ci
from core.choices import Channel
from incidents import services as incident_services
from monitoring.ingest import IncomingEvent, ingest
from monitoring.models import Alert, IncidentRule

pytestmark = pytest.mark.django_db
# session, user and the page chrome (roles, approvals menu), totals, count, the page of alerts (CI,
# service and incident joined): the same for any number of alerts. 8 -> 7: the approvals badge is
# one statement for every source (core.approvals, issue 12 fifth round). 7 -> 6: the user's roles
# are kept per process (accounts.roles.membership).
CONSOLE_QUERIES = 6


def implemented(agent, title, cis, hours_ago, *, ended=True):
    change = change_services.create_change(actor=agent, channel=Channel.WEB, title=title, affected_cis=cis)
    start = timezone.now() - timedelta(hours=hours_ago)
    Change.objects.filter(pk=change.pk).update(state="review" if ended else "implement", actual_start=start,
                                               actual_end=start + timedelta(minutes=30) if ended else None)
    return change


@pytest.fixture
def incident(agent, estate, rules, no_hold_down):
    outcome = ingest(IncomingEvent(severity="critical", status="firing", fingerprint="x", ci="payroll-web"),
                     actor=agent)
    from incidents.models import Incident

    return Incident.objects.get(pk=outcome.incident_id)


@pytest.fixture
def changes_around(agent, estate):
    return {
        "host_recent": implemented(agent, "Patch esx-01", [estate["host"]], 2),
        "app_older": implemented(agent, "Deploy payroll-web 2.3", [estate["app"]], 20),
        "vm_now": implemented(agent, "Resize VM", [estate["vm"]], 1, ended=False),
        "too_old": implemented(agent, "Old db change", [estate["db"]], 30),
        "elsewhere": implemented(agent, "Unrelated", [make_ci("mail-01")], 1),
        "downstream": implemented(agent, "Payroll service config", [estate["service"]], 1),
    }


def test_suspects_are_ranked_by_depth_then_time(agent_api, incident, changes_around, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        response = agent_api.get(f"/api/v1/incidents/{incident.number}/suspected-changes/")
    assert response.status_code == 200
    numbers = [row["number"] for row in response.json()]
    expected = [changes_around[k].number for k in ("app_older", "vm_now", "host_recent")]
    assert numbers == expected
    assert [row["depth"] for row in response.json()] == [0, 1, 2]


def test_link_a_suspect_as_the_cause(agent_api, incident, changes_around):
    change = changes_around["vm_now"]
    response = agent_api.post(f"/api/v1/incidents/{incident.pk}/suspected-changes/", {"change": change.pk},
                              format="json")
    assert response.status_code == 200
    assert list(change.caused_incidents.values_list("pk", flat=True)) == [incident.pk]
    assert [row["linked"] for row in response.json()] == [False, True, False]
    refused = agent_api.post(f"/api/v1/incidents/{incident.pk}/suspected-changes/",
                             {"change": changes_around["elsewhere"].pk}, format="json")
    assert refused.status_code == 400 and "change" in refused.json()


def test_an_agents_incident_on_a_ci_has_suspects_too(agent, agent_api, estate, changes_around):
    made = incident_services.open_incident(actor=agent, channel=Channel.WEB, title="Slow", configuration_item=estate["vm"])
    response = agent_api.get(f"/api/v1/incidents/{made.pk}/suspected-changes/")
    assert [row["number"] for row in response.json()] == [changes_around["vm_now"].number,
                                                          changes_around["host_recent"].number]


def test_suspects_are_desk_only_and_invisible_is_404(end_user_api, agent_api, incident):
    assert end_user_api.get(f"/api/v1/incidents/{incident.pk}/suspected-changes/").status_code == 403
    assert agent_api.get("/api/v1/incidents/999999/suspected-changes/").status_code == 404


def test_incident_page_shows_alerts_and_suspects_and_links_a_cause(client, agent, incident, changes_around):
    client.force_login(agent)
    page = client.get(reverse("incidents:incident_detail", args=[incident.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="monitoring-panel"' in body
    assert changes_around["app_older"].number in body
    change = changes_around["app_older"]
    answer = client.post(reverse("monitoring:link_cause", args=[incident.pk]), {"change": change.pk})
    assert answer.status_code == 302
    assert change.caused_incidents.filter(pk=incident.pk).exists()


def test_alert_console_and_detail(client, agent, incident, estate, django_assert_num_queries):
    client.force_login(agent)
    client.get(reverse("monitoring:alert_list"))
    # then: the same queries for one alert and for three
    for fp in ("y", "z"):
        ingest(IncomingEvent(severity="warning", status="firing", fingerprint=fp, ci="payroll-db"), actor=agent)
    with django_assert_num_queries(CONSOLE_QUERIES):
        page = client.get(reverse("monitoring:alert_list"))
    assert page.status_code == 200 and incident.number in page.content.decode()
    alert = Alert.objects.get(fingerprint="x")
    detail = client.get(reverse("monitoring:alert_detail", args=[alert.pk]))
    assert detail.status_code == 200 and "payroll-web" in detail.content.decode()
    assert client.get(reverse("monitoring:alert_list") + "?state=bogus").status_code == 200


def test_rules_pages(client, agent, manager, rules):
    client.force_login(agent)
    assert client.get(reverse("monitoring:rule_list")).status_code == 200
    assert client.get(reverse("monitoring:incident_rule_create")).status_code == 403
    client.force_login(manager)
    answer = client.post(reverse("monitoring:incident_rule_create"), {
        "name": "minor quiet", "order": 1, "active": "on", "min_severity": "minor", "environment": "",
        "max_criticality": "", "impact": 3, "urgency": 3})
    assert answer.status_code == 302
    assert IncidentRule.objects.filter(name="minor quiet", open_incident=False).exists()
    bad = client.post(reverse("monitoring:mapping_rule_create"), {
        "name": "bad", "order": 1, "match_on": "label", "label": "", "pattern": "(", "target": "name"})
    assert bad.status_code == 400 and "Name the label to read." in bad.content.decode()


def test_end_users_cannot_see_the_console(client, end_user):
    client.force_login(end_user)
    assert client.get(reverse("monitoring:alert_list")).status_code == 403
