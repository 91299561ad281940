"""From alerts to incidents, through incidents.services (channel "monitoring"): open one when the
rules say so, attach storms to one incident per business service, keep the incident open across
flaps and resolve it when every alert attached to it has cleared (or leave a work note when an
agent has worked on it)."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.translation import gettext as _

from cmdb.models import ConfigurationItem
from core.choices import Channel
from core.models import AuditEntry
from incidents import services as incident_services
from incidents.choices import OPEN_STATES, IncidentState, ResolutionCode
from incidents.models import Incident
from monitoring import conf, rules
from monitoring.choices import SEVERITY_RANK, Severity
from monitoring.models import Alert, IncidentRule

CHANNEL = Channel.MONITORING


def _lock(kind, key):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"monitoring:{kind}:{key}"])


def service_of(ci):
    """The business service above the CI (the CMDB graph, downstream), or None."""
    if ci is None:
        return None
    return incident_services.suggest_service(ci)


def _rule_views():
    return [rules.RuleView(pk=r.pk, min_severity=r.min_severity, environment=r.environment,
                           max_criticality=r.max_criticality, open_incident=r.open_incident, impact=r.impact,
                           urgency=r.urgency)
            for r in IncidentRule.objects.filter(active=True).order_by("order", "id")]


def decide(alert_id, *, ci_id, service_id, severity, event, actor, now, ci=None, service=None, new_alert=False):
    """Open or join an incident for the alert when a rule says so; its id, or None."""
    views = _rule_views()
    rank = SEVERITY_RANK.get(severity, 99)
    if not any(rank <= SEVERITY_RANK.get(v.min_severity, 0) for v in views):
        return None  # no rule can match this severity: no CI lookup needed
    if ci is None and ci_id is not None:
        ci = ConfigurationItem.objects.only("id", "name", "environment", "criticality").get(pk=ci_id)
    facts = rules.CIFacts(environment=ci.environment, criticality=ci.criticality) if ci is not None else None
    rule = rules.matching_incident_rule(views, severity=severity, ci=facts)
    if rule is None or not rule.open_incident:
        return None
    if service is None and service_id is not None:
        service = ConfigurationItem.objects.only("id", "name").get(pk=service_id)
    # Storms: one incident per business service (else per CI) while it is open and recent.
    group = ("svc", service.pk) if service is not None else ("ci", ci.pk) if ci is not None else None
    if group is not None:
        _lock(*group)
        joined = _storm_incident(group, alert_id=alert_id, now=now)
        if joined is not None:
            _attach(alert_id, joined, actor=actor, service=service)
            return joined
    incident = incident_services.open_incident(
        actor=actor, channel=CHANNEL, caller=actor, title=_title(event, ci), description=_description(event),
        impact=rule.impact, urgency=rule.urgency, configuration_item=ci, service=service, now=now,
    )
    Alert.objects.filter(pk=alert_id).update(incident=incident, opened_incident=True)
    return incident.pk


def _storm_incident(group, *, alert_id, now):
    kind, key = group
    since = now - timedelta(minutes=conf.storm_window_minutes())
    alerts = Alert.objects.filter(service_id=key) if kind == "svc" else Alert.objects.filter(ci_id=key)
    return (alerts.exclude(pk=alert_id)
            .filter(incident__state__in=list(OPEN_STATES), incident__channel="monitoring",
                    incident__created_at__gte=since)
            .order_by("-incident_id").values_list("incident_id", flat=True).first())


def _attach(alert_id, incident_id, *, actor, service):
    Alert.objects.filter(pk=alert_id).update(incident_id=incident_id, opened_incident=False)
    cis = Alert.objects.filter(incident_id=incident_id).exclude(ci=None).values("ci_id").distinct().count()
    if cis == 2 and service is not None:
        # The moment a second CI joins, the incident becomes the service's: say so once.
        incident = Incident.objects.get(pk=incident_id)
        incident_services.comment(
            incident, actor=actor, channel=CHANNEL, internal=True, notify=False,
            body=_("Alert storm: several CIs of %(service)s are alerting; their alerts are attached to this "
                   "incident instead of opening one each.") % {"service": service.name},
        )


def _title(event, ci):
    what = event.check or event.message[:80] or event.fingerprint
    where = ci.name if ci is not None else (event.node or event.ci or "?")
    return f"[{Severity(event.severity).label}] {what} — {where}"[:200]


def _description(event):
    lines = [event.message] if event.message else []
    lines += [f"{key}: {value}" for key, value in sorted((event.labels or {}).items())[:30]]
    lines.append(_("Fingerprint: %(fingerprint)s") % {"fingerprint": event.fingerprint})
    return "\n".join(lines)


def keep_open_after_flap(incident_id, *, alert_id, actor, now):
    """The alert fired again within the flap window: keep (or put back) its incident in progress."""
    if incident_id is None:
        return None
    incident = Incident.objects.get(pk=incident_id)
    if incident.state in OPEN_STATES:
        return incident.pk  # the hold-down kept it open: nothing to undo
    if incident.state == IncidentState.RESOLVED:
        incident = incident_services.transition(incident, actor=actor, channel=CHANNEL,
                                                target=IncidentState.IN_PROGRESS, now=now)
        incident_services.comment(incident, actor=actor, channel=CHANNEL, internal=True, notify=False, now=now,
                                  body=_("The alert fired again shortly after it cleared: incident reopened."))
        return incident.pk
    # Closed or cancelled: the old incident is history; the rules decide afresh.
    Alert.objects.filter(pk=alert_id).update(incident=None, opened_incident=False)
    alert = Alert.objects.get(pk=alert_id)

    class _Seen:
        severity, check, message, fingerprint = alert.severity, alert.check_name, alert.message, alert.fingerprint
        node, ci, labels = alert.node, "", alert.labels

    return decide(alert.pk, ci_id=alert.ci_id, service_id=alert.service_id, severity=alert.severity,
                  event=_Seen, actor=actor, now=now)


def _touched_by_agent(incident):
    """Someone worked on it outside monitoring (any audited change or note from another channel)."""
    ct = ContentType.objects.get_for_model(Incident)
    return AuditEntry.objects.filter(content_type=ct, object_id=incident.pk).exclude(channel=CHANNEL).exists()


def settle(incident_id, *, actor, now):
    """Every alert of the incident has cleared (and its hold-down passed): resolve the incident,
    or add a work note when an agent has worked on it."""
    _lock("inc", incident_id)
    alerts = Alert.objects.filter(incident_id=incident_id)
    if alerts.filter(state="open").exists():
        return False  # a storm incident waits for its last alert
    alerts.filter(resolve_due_at__isnull=False).update(resolve_due_at=None)
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None or incident.state not in OPEN_STATES:
        return False
    actor = actor or incident.caller
    if _touched_by_agent(incident):
        incident_services.comment(incident, actor=actor, channel=CHANNEL, internal=True, notify=False, now=now,
                                  body=_("Monitoring: every alert of this incident has cleared. It was left open "
                                         "because an agent has worked on it."))
        return False
    incident_services.resolve(incident, actor=actor, channel=CHANNEL, code=ResolutionCode.SOLVED_PERMANENTLY,
                              notes=_("Monitoring: every alert of this incident has cleared."), now=now)
    return True


def settle_due(*, now, batch=500):
    """The hold-down sweep (beat): settle incidents whose alerts' resolve is due. Safe to run twice."""
    from django.db import transaction

    ids = list(Alert.objects.filter(resolve_due_at__lte=now, state="closed").exclude(incident=None)
               .values_list("incident_id", flat=True).distinct()[:batch])
    resolved = 0
    for incident_id in ids:
        with transaction.atomic():
            resolved += bool(settle(incident_id, actor=None, now=now))
    return resolved
