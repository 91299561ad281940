"""Prometheus Alertmanager's webhook payload (version 4) read into events: plain Python, no ORM.

Alertmanager sends `{"version": "4", "status", "receiver", "groupKey", "alerts": [{"status",
"labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"}], …}` and repeats a
firing group until it resolves; the resolved notification carries the same fingerprint.

Mapping (documented in monitoring/README.md): fingerprint "am:" + the alert's fingerprint;
check = label `alertname`; node = label `instance`; CI = label `ci` (else the mapping rules read
the labels); severity = label `severity` through SEVERITY_ALIASES (anything else → warning, as
the payload is accepted as Alertmanager sends it); message = annotation `summary`, else
`description`; source = "alertmanager".
"""

from django.utils.translation import gettext as _

from monitoring.choices import EventStatus, Severity

SEVERITY_ALIASES = {
    "critical": Severity.CRITICAL, "crit": Severity.CRITICAL, "page": Severity.CRITICAL,
    "emergency": Severity.CRITICAL, "disaster": Severity.CRITICAL,
    "major": Severity.MAJOR, "error": Severity.MAJOR, "high": Severity.MAJOR,
    "minor": Severity.MINOR, "medium": Severity.MINOR, "average": Severity.MINOR,
    "warning": Severity.WARNING, "warn": Severity.WARNING,
    "info": Severity.INFO, "information": Severity.INFO, "low": Severity.INFO, "none": Severity.INFO,
}


class PayloadError(ValueError):
    """The payload is not an Alertmanager webhook payload: `field` names where."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def _text(value, limit):
    return value[:limit] if isinstance(value, str) else ""


def parse(payload, *, max_alerts):
    """The events of one webhook call, as dicts of IncomingEvent's fields; PayloadError if malformed."""
    if not isinstance(payload, dict):
        raise PayloadError("non_field_errors", _("Expected the Alertmanager webhook JSON object."))
    version = payload.get("version")
    if version is not None and str(version) != "4":
        raise PayloadError("version", _("Only version 4 of the Alertmanager webhook payload is accepted."))
    alerts = payload.get("alerts")
    if not isinstance(alerts, list):
        raise PayloadError("alerts", _("Expected a list of alerts."))
    if len(alerts) > max_alerts:
        raise PayloadError("alerts", _("At most %(count)d alerts per call.") % {"count": max_alerts})
    events = []
    for index, alert in enumerate(alerts):
        where = f"alerts[{index}]"
        if not isinstance(alert, dict):
            raise PayloadError(where, _("Expected an alert object."))
        labels = alert.get("labels") if alert.get("labels") is not None else {}
        annotations = alert.get("annotations") if alert.get("annotations") is not None else {}
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            raise PayloadError(f"{where}.labels", _("Expected an object of string labels."))
        if not isinstance(annotations, dict):
            raise PayloadError(f"{where}.annotations", _("Expected an object of annotations."))
        status = alert.get("status", payload.get("status"))
        if status not in EventStatus.values:
            raise PayloadError(f"{where}.status", _("Expected firing or resolved."))
        fingerprint = alert.get("fingerprint")
        if fingerprint is not None and not isinstance(fingerprint, str):
            raise PayloadError(f"{where}.fingerprint", _("Expected a string."))
        severity = SEVERITY_ALIASES.get(str(labels.get("severity", "")).strip().lower(), Severity.WARNING)
        message = _text(annotations.get("summary"), 4000) or _text(annotations.get("description"), 4000)
        events.append({
            "source": "alertmanager",
            "node": _text(labels.get("instance"), 200),
            "ci": _text(labels.get("ci"), 200),
            "check": _text(labels.get("alertname"), 200),
            "severity": str(severity),
            "status": status,
            "fingerprint": f"am:{fingerprint}"[:200] if fingerprint else "",
            "message": message,
            "labels": labels,
            "raw": alert,
        })
    return events
