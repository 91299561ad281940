"""Outages derived from other records (outbox handlers, registered in AvailabilityConfig.ready()).

- An incident flagged "service down" (incidents.Incident.service_down) on a service opens an
  outage when it is created or flagged, and closes it when the incident is resolved, closed or
  cancelled (at its resolution time); reopening it opens the outage again.
- An incident opened by monitoring for an alert marked service-impacting (its labels carry
  `service_impact` = true/yes/down/1) does the same, the outage starting when the alert was first
  seen and ending when the incident is resolved (a resolved alert resolves its incident).

Handlers are idempotent: each reads the incident as it is now and makes the outage match, so a
retried delivery or events arriving out of order settle on the same record. A derived outage that
would overlap one an agent recorded is not written (the agent's record stands); the log says so.
"""

import logging

from django.db import transaction
from django.utils import timezone

from availability import services
from availability.choices import OutageSource
from availability.models import Outage
from core.exceptions import DomainError

log = logging.getLogger(__name__)

IMPACT_LABEL = "service_impact"
IMPACT_VALUES = frozenset({"true", "yes", "down", "1"})
VERBS = frozenset({"created", "updated", "resolved", "reopened", "closed", "cancelled", "transitioned"})


def wants(event) -> bool:
    """Decided at publish time without a query: only incidents that may concern an outage."""
    if event.verb not in VERBS:
        return False
    record = event.record
    return bool(getattr(record, "service_down", False) or event.channel == "monitoring"
                or "service_down" in (event.data.get("diff") or {}))


def impacting_alert(incident):
    from monitoring.models import Alert

    for alert in Alert.objects.filter(incident=incident).order_by("first_seen"):
        if str((alert.labels or {}).get(IMPACT_LABEL, "")).strip().lower() in IMPACT_VALUES:
            return alert
    return None


def sync_incident(event):
    incident = event.record
    if incident is None:
        return
    sync_outage_of(incident)


@transaction.atomic
def sync_outage_of(incident, *, now=None):
    """Make the incident's outage match the incident (see the module docstring)."""
    now = now or timezone.now()
    alert = None if incident.service_down else impacting_alert(incident)
    concerned = incident.service_id is not None and (incident.service_down or alert is not None)
    outage = Outage.objects.filter(incident=incident).order_by("-start").first()
    if not concerned:
        if outage is not None and outage.source != OutageSource.MANUAL and outage.end is None:
            _try(services.update_outage, outage, changes={"end": max(now, outage.start + timezone.timedelta(seconds=1))})
        return
    ended = incident.resolved_at or incident.closed_at or (now if not incident.is_open else None)
    if incident.is_open:
        ended = None
    if outage is None:
        start = alert.first_seen if alert is not None else incident.created_at
        if ended is not None and ended <= start:
            return
        _try(services.record_outage, service=incident.service, start=start, end=ended, incident=incident,
             source=OutageSource.MONITORING if alert is not None else OutageSource.INCIDENT)
    elif outage.source != OutageSource.MANUAL and outage.end != ended:
        if ended is None or ended > outage.start:
            _try(services.update_outage, outage, changes={"end": ended})


def _try(function, *args, **kwargs):
    try:
        with transaction.atomic():
            return function(*args, actor=None, channel="system", **kwargs)
    except DomainError as error:
        log.warning("availability: derived outage not written: %s", error.message)
        return None


def register():
    from core import events

    events.after_commit("incident.*", key="availability.derived.sync_incident", when=wants)(sync_incident)
