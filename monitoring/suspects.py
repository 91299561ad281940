"""Suspected changes: what was implemented lately on an incident's CI or on anything it needs.

One recursive query walks the CMDB upstream from the incident's CIs (its CI, and for a storm
incident the CIs of its alerts) over the dependency types, as cmdb.graph defines "needs", and
joins the changes whose implementation touched a reached CI in the window: started
(`actual_start`) before now and still implementing, or finished (`actual_end`), no earlier than
24 hours (MONITORING_SUSPECT_HOURS) before the incident opened. Ranked by nearness: graph depth
(0 = the CI itself), then the most recent implementation first.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from changes import services as change_services
from changes.choices import ChangeState
from changes.models import Change
from cmdb.choices import DEPENDENCY_TYPES
from cmdb.models import ConfigurationItem, Relationship
from core.choices import Channel
from core.exceptions import DomainError
from incidents import services as incident_services
from monitoring import conf
from monitoring.models import Alert

DEPTH = 6


@dataclass
class Suspect:
    change: Change
    ci: ConfigurationItem
    depth: int
    implemented_at: datetime | None
    linked: bool


def _sql():
    rel = Relationship._meta.db_table
    through = Change.affected_cis.through
    link = through._meta.db_table
    change_col = through._meta.get_field("change").column
    ci_col = through._meta.get_field("configurationitem").column
    chg = Change._meta.db_table
    types = ", ".join(["%s"] * len(DEPENDENCY_TYPES))
    return (
        "WITH RECURSIVE walk(id, depth) AS ("
        " SELECT unnest(%s::bigint[]), 0"
        " UNION"
        f" SELECT r.target_id, w.depth + 1 FROM {rel} r JOIN walk w ON r.source_id = w.id"
        f" WHERE w.depth < %s AND r.type IN ({types})"
        "), near AS (SELECT id, MIN(depth) AS depth FROM walk GROUP BY id)"
        f" SELECT DISTINCT ON (c.id) c.id, m.{ci_col}, n.depth, COALESCE(c.actual_end, c.actual_start)"
        f" FROM near n JOIN {link} m ON m.{ci_col} = n.id JOIN {chg} c ON c.id = m.{change_col}"
        " WHERE c.actual_start IS NOT NULL AND c.actual_start <= %s AND c.state <> %s"
        " AND (c.actual_end IS NULL OR c.actual_end >= %s)"
        " ORDER BY c.id, n.depth, m." + ci_col
    )


def incident_cis(incident, alert_cis=None) -> list[int]:
    """The incident's CI and its alerts' CIs (`alert_cis`: those already known, else read)."""
    ids = set(Alert.objects.filter(incident=incident).exclude(ci=None).values_list("ci_id", flat=True)
              if alert_cis is None else alert_cis)
    if incident.configuration_item_id:
        ids.add(incident.configuration_item_id)
    return sorted(ids)


def suspected_changes(incident, *, now=None, alert_cis=None) -> list[Suspect]:
    """The suspects of an incident, nearest first (four queries whatever the graph's size).
    `alert_cis`: the CI ids of all the incident's alerts, if the caller has read them already."""
    now = now or timezone.now()
    ci_ids = incident_cis(incident, alert_cis)
    if not ci_ids:
        return []
    since = (incident.created_at or now) - timedelta(hours=conf.suspect_hours())
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [ci_ids, DEPTH, *DEPENDENCY_TYPES, now, ChangeState.CANCELLED, since])
        rows = cursor.fetchall()
    if not rows:
        return []
    changes = Change.objects.in_bulk([r[0] for r in rows])
    cis = ConfigurationItem.objects.only("id", "name").in_bulk([r[1] for r in rows])
    linked = set(Change.objects.filter(caused_incidents=incident).values_list("pk", flat=True))
    found = [Suspect(changes[change_id], cis[ci_id], depth, at, change_id in linked)
             for change_id, ci_id, depth, at in rows]
    found.sort(key=lambda s: (s.depth, -(s.implemented_at.timestamp() if s.implemented_at else 0), s.change.pk))
    return found


@transaction.atomic
def link_cause(incident, *, change_id, actor, channel=Channel.WEB, now=None):
    """Link a suspected change as the cause of the incident (the change's caused_incidents), with a work note."""
    suspects = {s.change.pk: s for s in suspected_changes(incident, now=now)}
    suspect = suspects.get(change_id)
    if suspect is None:
        raise DomainError(_("Choose one of the suspected changes."), field="change")
    if suspect.linked:
        return suspect.change
    change = suspect.change
    current = list(change.caused_incidents.values_list("pk", flat=True))
    change = change_services.update_change(change, actor=actor, channel=channel, changes={},
                                           caused_incidents=[*current, incident.pk])
    incident_services.comment(incident, actor=actor, channel=channel, internal=True, notify=False, now=now,
                              body=_("Linked %(number)s as the suspected cause.") % {"number": change.number})
    return change
