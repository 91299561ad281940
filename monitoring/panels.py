"""What event management adds to the incident page (core.panels "ticket_side"): the incident's
alerts and its suspected changes, with a button to link one as the cause."""

from accounts import roles
from core import panels
from incidents.models import Incident
from monitoring import suspects
from monitoring.models import Alert

SHOWN_ALERTS = 20


def incident_context(request, ticket):
    if request is None or not isinstance(ticket, Incident) or not roles.is_agent(request.user):
        return None
    alerts = list(Alert.objects.filter(incident=ticket).select_related("ci").order_by("-last_seen")[:SHOWN_ALERTS])
    # Fewer than the page shows: these are all the incident's alerts, and their CIs are known
    # without reading them again (a statement on nearly every incident page, issue 12).
    alert_cis = {alert.ci_id for alert in alerts if alert.ci_id} if len(alerts) < SHOWN_ALERTS else None
    found = suspects.suspected_changes(ticket, alert_cis=alert_cis)
    if not alerts and not found and not ticket.configuration_item_id:
        return None
    return {"incident": ticket, "alerts": alerts, "suspects": found[:10]}


panels.register("ticket_side", "monitoring/panels/_incident.html", incident_context, order=40)
