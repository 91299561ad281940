"""Use cases of capacity: the only writers of Metric and MetricSample rows.

Samples arrive from the metrics endpoint and, as labels of monitoring events, through the
"metric.reported" event monitoring publishes (capacity.wiring). A batch is validated whole
before anything is written: one bad sample refuses the request and nothing of it is saved.
Crossing a threshold raises a monitoring event through monitoring's own ingest, so alerts and
incidents follow the usual rules.
"""

import math
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from capacity import rules
from capacity.choices import Level
from capacity.models import Metric, MetricSample
from cmdb.models import ConfigurationItem
from core import audit, events
from core.choices import Channel
from core.exceptions import DomainError

METRIC_FIELDS = ("ci", "key", "unit", "maximum", "warning_threshold", "critical_threshold")
MAX_BATCH = 5000


@dataclass(frozen=True)
class Reading:
    ci: ConfigurationItem
    key: str
    value: float
    unit: str
    at: datetime


def _number(raw, field):
    if isinstance(raw, bool) or raw is None or raw == "":
        raise DomainError(_("A number is required."), field=field)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise DomainError(_("“%(value)s” is not a number.") % {"value": str(raw)[:40]}, field=field) from None
    if not math.isfinite(value):
        raise DomainError(_("A finite number is required."), field=field)
    return value


def _ci(raw, field, cache):
    key = str(raw).strip() if raw is not None else ""
    if not key or isinstance(raw, (bool, dict, list)):
        raise DomainError(_("Name the configuration item by id or name."), field=field)
    if key in cache:
        return cache[key]
    found = None
    if key.isdigit() and len(key) < 19:
        found = ConfigurationItem.objects.filter(pk=int(key)).first()
    if found is None:
        # A name is unique per class and environment only: prefer the production CI.
        candidates = list(ConfigurationItem.objects.filter(name=key[:200]).order_by("pk")[:5])
        found = next((ci for ci in candidates if ci.environment == "production"), candidates[0] if candidates else None)
    if found is None:
        raise DomainError(_("No configuration item “%(ci)s”.") % {"ci": key[:80]}, field=field)
    cache[key] = found
    return found


def _key(raw, field):
    from django.core.validators import validate_slug

    key = str(raw or "").strip()[:81] if isinstance(raw, str) else ""
    try:
        validate_slug(key)
    except Exception:
        raise DomainError(_("Name the metric with letters, digits, - or _ (e.g. cpu_percent)."), field=field) from None
    if len(key) > 80:
        raise DomainError(_("At most 80 characters."), field=field)
    return key.lower()


def _at(raw, field, now):
    if raw in (None, ""):
        return now
    value = raw if isinstance(raw, datetime) else (parse_datetime(raw) if isinstance(raw, str) else None)
    if value is None:
        raise DomainError(_("Give the time as ISO 8601, e.g. 2026-12-03T09:00:00+09:00."), field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + timezone.timedelta(minutes=5):
        raise DomainError(_("A sample cannot be from the future."), field=field)
    return value


def parse_readings(items, *, now=None, prefix=None) -> list[Reading]:
    """Validate every item ({ci, metric, value, unit, at}) before any is stored. Errors name
    "[index].field", or `prefix` + field when given (a single sample)."""
    now = now or timezone.now()
    if not isinstance(items, list) or not items:
        raise DomainError(_("Send one sample or a non-empty list of samples."))
    if len(items) > MAX_BATCH:
        raise DomainError(_("At most %(count)d samples per request.") % {"count": MAX_BATCH})
    cache, readings = {}, []
    for index, item in enumerate(items):
        where = (lambda name, i=index: f"[{i}].{name}") if prefix is None else (lambda name: f"{prefix}{name}")
        if not isinstance(item, dict):
            raise DomainError(_("Each sample is an object."), field=where("sample"))
        unit = item.get("unit") or ""
        if not isinstance(unit, str) or len(unit) > 20:
            raise DomainError(_("At most 20 characters."), field=where("unit"))
        readings.append(Reading(ci=_ci(item.get("ci"), where("ci"), cache), key=_key(item.get("metric"), where("metric")),
                                value=_number(item.get("value"), where("value")), unit=unit,
                                at=_at(item.get("at"), where("at"), now)))
    return readings


@transaction.atomic
def record_samples(items, *, actor, channel=Channel.API, now=None, single=False, prefix=None) -> list[MetricSample]:
    """Store samples (creating a CI's metric on its first sample) and apply thresholds."""
    now = now or timezone.now()
    readings = parse_readings(items, now=now, prefix=prefix if prefix is not None else ("" if single else None))
    metrics = {}
    for reading in readings:
        pair = (reading.ci.pk, reading.key)
        if pair not in metrics:
            metrics[pair] = _metric_for(reading, actor=actor, channel=channel)
    samples = MetricSample.objects.bulk_create([
        MetricSample(metric=metrics[(r.ci.pk, r.key)], at=r.at, value=r.value,
                     submitted_by=actor if getattr(actor, "pk", None) else None) for r in readings])
    # Thresholds follow each metric's readings in time order (older than its last one: history,
    # no threshold); the metric row is written once per batch.
    for pair, metric in metrics.items():
        ordered = sorted((r for r in readings if (r.ci.pk, r.key) == pair), key=lambda r: r.at)
        _apply(metric, [r for r in ordered if metric.last_at is None or r.at >= metric.last_at], actor=actor, now=now)
    return samples


def _metric_for(reading, *, actor, channel):
    metric = Metric.objects.select_for_update().filter(ci=reading.ci, key=reading.key).first()
    if metric is not None:
        return metric
    metric, created = Metric.objects.get_or_create(
        ci=reading.ci, key=reading.key,
        defaults={"unit": reading.unit, "maximum": 100.0 if reading.unit == "%" else None})
    if created:
        audit.record_creation(metric, actor=actor, channel=channel, fields=METRIC_FIELDS)
        events.publish("capacity_metric.created", metric, actor=actor, channel=channel)
    return metric


def _apply(metric, readings, *, actor, now):
    if not readings:
        return
    changes = []
    for reading in readings:
        new = rules.next_level(metric.level, reading.value, warning=metric.warning_threshold,
                               critical=metric.critical_threshold)
        if new != metric.level:
            changes.append((metric.level, new, reading.value))
            metric.level, metric.level_since = new, now
    metric.last_value, metric.last_at = readings[-1].value, readings[-1].at
    metric.save(update_fields=["last_value", "last_at", "level", "level_since"])
    for old, new, value in changes:
        _raise_event(metric, old=old, new=new, value=value, actor=actor, now=now)


def _raise_event(metric, *, old, new, value, actor, now):
    """Tell event management: a firing event while above a threshold, resolved once back to normal.
    One fingerprint per metric, so warning → critical updates the same alert."""
    from monitoring import ingest

    unit = f" {metric.unit}" if metric.unit and metric.unit != "%" else (metric.unit or "")
    if new == Level.OK:
        message = _("%(metric)s on %(ci)s is back to normal (%(value)s%(unit)s).")
    else:
        message = _("%(metric)s on %(ci)s reached %(value)s%(unit)s (%(level)s threshold).")
    message = message % {"metric": metric.key, "ci": metric.ci.name, "value": f"{value:g}", "unit": unit,
                         "level": Level(new).label}
    ingest.ingest(ingest.IncomingEvent(
        severity="critical" if new == Level.CRITICAL else ("warning" if new == Level.WARNING else "info"),
        status="resolved" if new == Level.OK else "firing", fingerprint=f"capacity:{metric.pk}", source="capacity",
        node=metric.ci.name, ci=str(metric.ci.external_id or metric.ci.name), check=f"capacity {metric.key}",
        message=message, labels={"capacity_metric": metric.key, "level": new, "reading": value}), actor=actor, now=now)
    events.publish("capacity_metric.level_changed", metric, actor=actor, channel=Channel.SYSTEM,
                   data={"from": old, "to": new, "value": value})


@transaction.atomic
def update_metric(metric, *, actor, channel, changes: dict) -> Metric:
    """Set unit, capacity and thresholds; one audit row per changed field."""
    locked = Metric.objects.select_for_update().select_related("ci").get(pk=metric.pk)
    before = audit.snapshot(locked, METRIC_FIELDS)
    for name in ("unit", "maximum", "warning_threshold", "critical_threshold"):
        if name in changes:
            setattr(locked, name, changes[name])
    errors = rules.check_thresholds(locked.warning_threshold, locked.critical_threshold)
    if errors:
        field, message = next(iter(errors.items()))
        raise DomainError(message, field=field)
    locked.full_clean(exclude=["ci"])
    locked.save()
    diff = audit.changes_between(before, audit.snapshot(locked, METRIC_FIELDS))
    if diff:
        audit.record_changes(locked, actor=actor, channel=channel, changes=diff)
        events.publish("capacity_metric.changed", locked, actor=actor, channel=channel, data={"fields": sorted(diff)})
    if locked.last_value is not None and {"warning_threshold", "critical_threshold"} & set(diff):
        # New thresholds judge the last reading afresh (no hold-down band: the old thresholds are gone).
        new = rules.raw_level(locked.last_value, warning=locked.warning_threshold, critical=locked.critical_threshold)
        if new != locked.level:
            old, now = locked.level, timezone.now()
            locked.level, locked.level_since = new, now
            locked.save(update_fields=["level", "level_since"])
            _raise_event(locked, old=old, new=new, value=locked.last_value, actor=actor, now=now)
    return locked
