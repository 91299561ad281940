"""What event management adds to the incident page (core.panels "ticket_side"): the incident's
alerts and its suspected changes, with a button to link one as the cause."""

import functools

from django.db import connection

from accounts import roles
from cmdb.models import ConfigurationItem
from core import panels
from core.selects import Columns, fetch
from incidents.models import Incident
from monitoring import suspects
from monitoring.models import Alert

SHOWN_ALERTS = 20


@functools.cache
def _alerts_statement():
    """The incident's newest SHOWN_ALERTS alerts with their CIs, as
    `Alert.objects.filter(incident=…).select_related("ci").order_by("-last_seen")[:SHOWN_ALERTS]`
    reads them, written once per process: the ORM compiled it on every incident page (issue 12,
    seventh round)."""
    quote = connection.ops.quote_name
    alerts, cis = Columns(Alert, "a"), Columns(ConfigurationItem, "c")
    field = Alert._meta.get_field
    sql = (f"SELECT {alerts.sql}, {cis.sql} FROM {quote(Alert._meta.db_table)} a "
           f"LEFT JOIN {quote(ConfigurationItem._meta.db_table)} c "
           f"ON c.{quote(ConfigurationItem._meta.pk.column)} = a.{quote(field('ci').column)} "
           f"WHERE a.{quote(field('incident').column)} = %s "
           f"ORDER BY a.{quote(field('last_seen').column)} DESC LIMIT {SHOWN_ALERTS}")
    return sql, alerts, cis


def incident_alerts(incident):
    sql, alerts, cis = _alerts_statement()
    split, ci = len(alerts), Alert._meta.get_field("ci")
    found = []
    for row in fetch(sql, [incident.pk]):
        alert = alerts.load(row[:split])
        ci.set_cached_value(alert, None if alert.ci_id is None else cis.load(row[split:]))
        found.append(alert)
    return found


def incident_context(request, ticket):
    if request is None or not isinstance(ticket, Incident) or not roles.is_agent(request.user):
        return None
    alerts = incident_alerts(ticket)
    # Fewer than the page shows: these are all the incident's alerts, and their CIs are known
    # without reading them again (a statement on nearly every incident page, issue 12).
    alert_cis = {alert.ci_id for alert in alerts if alert.ci_id} if len(alerts) < SHOWN_ALERTS else None
    found = suspects.suspected_changes(ticket, alert_cis=alert_cis)
    if not alerts and not found and not ticket.configuration_item_id:
        return None
    return {"incident": ticket, "alerts": alerts, "suspects": found[:10]}


panels.register("ticket_side", "monitoring/panels/_incident.html", incident_context, order=40)
