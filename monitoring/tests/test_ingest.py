"""Event ingest through the services: dedupe, rules, flapping, hold-down, storms, mapping."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.choices import Channel
from core.models import Comment
from incidents import services as incident_services
from incidents.models import Incident
from monitoring import escalation
from monitoring.ingest import IncomingEvent, ingest
from monitoring.models import Alert, CIMappingRule, Event

pytestmark = pytest.mark.django_db


def fire(actor, fingerprint="fp-1", severity="critical", ci="payroll-web", now=None, **extra):
    return ingest(IncomingEvent(severity=severity, status="firing", fingerprint=fingerprint, ci=ci, check="HTTP",
                                source="nagios", **extra), actor=actor, now=now)


def clear(actor, fingerprint="fp-1", now=None, ci="payroll-web"):
    return ingest(IncomingEvent(severity="info", status="resolved", fingerprint=fingerprint, ci=ci, check="HTTP"),
                  actor=actor, now=now)


def notes(incident):
    ct = ContentType.objects.get_for_model(Incident)
    return list(Comment.objects.filter(content_type=ct, object_id=incident.pk, internal=True)
                .values_list("body", flat=True))


def test_repeats_update_one_alert_and_open_one_incident(agent, estate, rules, no_hold_down):
    # given / when
    outcomes = [fire(agent) for _ in range(3)]
    # then
    alert = Alert.objects.get()
    assert {o.alert_id for o in outcomes} == {alert.pk}
    assert (alert.count, alert.state, alert.ci_id, alert.service_id) == (3, "open", estate["app"].pk,
                                                                        estate["service"].pk)
    incident = Incident.objects.get()
    assert {o.incident_id for o in outcomes} == {incident.pk}
    assert (incident.channel, incident.impact, incident.urgency, incident.priority) == ("monitoring", 1, 1, 1)
    assert (incident.configuration_item_id, incident.service_id) == (estate["app"].pk, estate["service"].pk)
    assert Event.objects.filter(alert=alert).count() == 3


def test_resolved_event_closes_the_alert_and_resolves_its_incident(agent, estate, rules, no_hold_down):
    # given
    opened = fire(agent)
    # when
    closed = clear(agent)
    # then
    alert = Alert.objects.get()
    incident = Incident.objects.get(pk=opened.incident_id)
    assert (closed.alert_id, alert.state, incident.state) == (alert.pk, "closed", "resolved")
    assert incident.resolution_code == "solved_permanently"


def test_hold_down_keeps_the_incident_open_and_a_flap_reopens_the_same_alert(agent, estate, rules, settings):
    # given: a 3-minute hold-down and a 10-minute flap window
    settings.MONITORING_HOLD_DOWN_MINUTES = 3
    settings.MONITORING_FLAP_WINDOW_MINUTES = 10
    start = timezone.now()
    opened = fire(agent, now=start)
    clear(agent, now=start + timedelta(minutes=1))
    assert Incident.objects.get().state == "new"  # resolve held down
    # when: it fires again within the flap window
    again = fire(agent, now=start + timedelta(minutes=2))
    # then: the same alert and incident, nothing resolved or opened
    alert = Alert.objects.get()
    assert (again.alert_id, again.incident_id, alert.state, alert.flaps, alert.resolve_due_at) == \
        (opened.alert_id, opened.incident_id, "open", 1, None)
    assert escalation.settle_due(now=start + timedelta(minutes=10)) == 0
    # when: it clears for good and the hold-down passes
    clear(agent, now=start + timedelta(minutes=3))
    assert escalation.settle_due(now=start + timedelta(minutes=5)) == 0
    assert escalation.settle_due(now=start + timedelta(minutes=7)) == 1
    # then
    assert Incident.objects.get().state == "resolved"
    assert Incident.objects.count() == 1


def test_flap_after_the_incident_resolved_reopens_it(agent, estate, rules, no_hold_down):
    # given
    opened = fire(agent)
    clear(agent)
    # when
    again = fire(agent)
    # then
    incident = Incident.objects.get()
    assert (again.incident_id, incident.state, Incident.objects.count()) == (opened.incident_id, "in_progress", 1)
    assert any("fired again" in body for body in notes(incident))


def test_resolve_after_an_agent_worked_on_it_adds_a_work_note(agent, estate, rules, no_hold_down):
    # given
    opened = fire(agent)
    incident = Incident.objects.get(pk=opened.incident_id)
    incident_services.comment(incident, actor=agent, channel=Channel.WEB, body="Looking", internal=True)
    # when
    clear(agent)
    # then
    incident.refresh_from_db()
    assert incident.state == "new"
    assert any("left open" in body for body in notes(incident))


def test_storm_under_one_service_opens_one_incident(agent, estate, rules, no_hold_down):
    # given / when: three CIs of the Payroll service alert
    outcomes = [fire(agent, fingerprint=f"fp-{name}", ci=estate[name].name) for name in ("app", "db", "vm", "host")]
    # then
    assert Incident.objects.count() == 1
    assert len({o.incident_id for o in outcomes}) == 1
    assert any("storm" in body.lower() for body in notes(Incident.objects.get()))
    # and: it resolves only when its last alert clears
    for name in ("app", "db", "vm"):
        clear(agent, fingerprint=f"fp-{name}")
    assert Incident.objects.get().state == "new"
    clear(agent, fingerprint="fp-host")
    assert Incident.objects.get().state == "resolved"


def test_unknown_ci_is_stored_and_its_alert_has_no_ci(agent, estate, rules, no_hold_down):
    # when: a warning (no rule opens one) about a CI the CMDB does not know
    outcome = fire(agent, severity="warning", ci="no-such-host")
    # then
    event = Event.objects.get(pk=outcome.event_id)
    assert (event.ci_name, event.ci_id, Alert.objects.get().ci_id, outcome.incident_id) == \
        ("no-such-host", None, None, None)


def test_a_repeat_grown_worse_opens_the_incident(agent, estate, rules, no_hold_down):
    # given
    first = fire(agent, severity="warning")
    # when
    worse = fire(agent, severity="critical")
    # then
    assert first.incident_id is None and worse.incident_id == Incident.objects.get().pk


def test_staging_rule_suppresses(agent, estate, rules, no_hold_down):
    from cmdb.tests.factories import make_ci

    make_ci("payroll-web", "application", environment="staging", external_id="stg-web")
    outcome = fire(agent, ci="stg-web")
    assert outcome.incident_id is None


def test_label_mapping_rule_finds_the_ci(agent, estate, rules, no_hold_down):
    # given: instance "host:port" → the CI whose attribute ip_address is the host
    estate["vm"].attributes = {"ip_address": "10.0.0.7"}
    estate["vm"].save()
    CIMappingRule.objects.create(name="instance ip", match_on="label", label="instance", pattern=r"^([^:]+)",
                                 target="attribute", attribute="ip_address")
    # when
    fire(agent, ci="", labels={"instance": "10.0.0.7:9100"})
    # then
    assert Alert.objects.get().ci_id == estate["vm"].pk


def test_missing_fingerprint_is_derived(agent, estate, rules, no_hold_down):
    one = ingest(IncomingEvent(severity="critical", status="firing", source="zabbix", node="esx-01", check="ping"),
                 actor=agent)
    two = ingest(IncomingEvent(severity="critical", status="firing", source="zabbix", node="esx-01", check="ping"),
                 actor=agent)
    assert one.alert_id == two.alert_id
    event = Event.objects.get(pk=one.event_id)
    assert event.fingerprint_derived and event.fingerprint.startswith("derived:")
    assert Alert.objects.get().ci_id == estate["host"].pk


def test_firing_again_path_stays_small(agent, estate, rules, no_hold_down, django_assert_num_queries):
    fire(agent)
    # then: UPDATE … RETURNING, INSERT event
    with django_assert_num_queries(2):
        fire(agent)
