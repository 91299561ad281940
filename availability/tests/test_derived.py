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
