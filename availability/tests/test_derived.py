"""Outages opened and closed from incidents flagged "service down" and from monitoring."""

from availability.models import Outage
from core.choices import Channel
from incidents import services as incident_services


def test_a_service_down_incident_opens_and_closes_an_outage(agent, service, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_services.open_incident(actor=agent, channel=Channel.WEB, title="포털 중단",
                                                   service=service, service_down=True)
    outage = Outage.objects.get(incident=incident)
    assert outage.end is None and outage.source == "incident" and outage.start == incident.created_at
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.resolve(incident, actor=agent, channel=Channel.WEB, code="solved_permanently",
                                  notes="재기동")
    outage.refresh_from_db()
    incident.refresh_from_db()
    assert outage.end == incident.resolved_at


def test_an_ordinary_incident_opens_no_outage(agent, service, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.open_incident(actor=agent, channel=Channel.WEB, title="느림", service=service)
    assert not Outage.objects.exists()


def test_a_service_impacting_alert_opens_an_outage_from_when_it_was_first_seen(agent, service):
    from datetime import timedelta

    from availability.derived import sync_outage_of
    from monitoring.models import Alert

    # given an incident monitoring opened for an alert labelled service-impacting
    incident = incident_services.open_incident(actor=agent, channel="monitoring", title="HTTP 503", service=service)
    first_seen = incident.created_at - timedelta(minutes=5)
    Alert.objects.create(fingerprint="web-503", severity="critical", labels={"service_impact": "true"},
                         incident=incident, opened_incident=True, first_seen=first_seen, last_seen=first_seen)
    # when the handler runs, and again once the incident is resolved
    sync_outage_of(incident)
    outage = Outage.objects.get(incident=incident)
    assert (outage.source, outage.start, outage.end) == ("monitoring", first_seen, None)
    incident_services.resolve(incident, actor=agent, channel="monitoring", code="solved_permanently", notes="ok")
    incident.refresh_from_db()
    sync_outage_of(incident)
    outage.refresh_from_db()
    assert outage.end == incident.resolved_at
