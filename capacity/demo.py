"""Demo data of capacity (idempotent): a year of daily readings of CPU, memory, disk and licences
on a few production CIs, with thresholds; one disk filling up (its forecast shows a date) and
one licence pool over its warning threshold (an alert in event management)."""

import math
import random
from datetime import timedelta

from django.db import transaction

from capacity import services
from capacity.models import Metric
from cmdb.models import ConfigurationItem
from core import events
from core.choices import Channel

# key, unit, capacity, warning, critical, start, growth per day, noise
PROFILES = [
    ("cpu_percent", "%", 100.0, 80.0, 90.0, 35.0, 0.02, 12.0),
    ("memory_percent", "%", 100.0, 85.0, 95.0, 55.0, 0.03, 5.0),
    ("disk_used_gb", "GB", 500.0, 400.0, 450.0, 140.0, 0.75, 3.0),
    ("licences_used", "", 200.0, 180.0, 195.0, 120.0, 0.17, 2.0),
]


def build(ci, *, actor, days, now, per_day=1, seed=0, profiles=PROFILES):
    """A year (or `days`) of readings for `ci`, `per_day` per day: also the benchmark's builder."""
    rng = random.Random(seed or ci.pk)
    for key, unit, maximum, warning, critical, start, growth, noise in profiles:
        items = []
        for day in range(days, 0, -1):
            for slot in range(per_day):
                at = now - timedelta(days=day) + timedelta(minutes=slot * (1440 // per_day))
                age = days - day
                value = start + growth * age + noise * math.sin(age / 7) * 0.5 + rng.uniform(-noise, noise) * 0.5
                items.append({"ci": ci.pk, "metric": key, "value": round(max(0.0, min(value, maximum)), 2),
                              "unit": unit, "at": at})
        # The first reading creates the metric; its thresholds apply to the rest.
        services.record_samples(items[:1], actor=actor, channel=Channel.SYSTEM, now=now)
        services.update_metric(Metric.objects.get(ci=ci, key=key), actor=actor, channel=Channel.SYSTEM, changes={
            "maximum": maximum, "warning_threshold": warning, "critical_threshold": critical})
        for chunk in range(1, len(items), services.MAX_BATCH):
            services.record_samples(items[chunk:chunk + services.MAX_BATCH], actor=actor, channel=Channel.SYSTEM,
                                    now=now)


def seed(ctx):
    agents = list(ctx.shared.get("agents") or [])
    actor = ctx.shared.get("admin") or (agents[0] if agents else None)
    if Metric.objects.exists():
        ctx.log("  capacity: metrics exist, skipped")
        return
    cis = list(ConfigurationItem.objects.filter(environment="production").exclude(ci_class__slug="business_service")
               .order_by("criticality", "pk")[:3])
    if not cis:
        ctx.log("  capacity: no production CIs, skipped")
        return
    with transaction.atomic(), events.quiet():
        for ci in cis:
            build(ci, actor=actor, days=365, now=ctx.now)
        # The last reading of the first CI's licences goes over its warning threshold: an alert.
        services.record_samples([{"ci": cis[0].pk, "metric": "licences_used", "value": 186, "at": ctx.now}],
                                actor=actor, channel=Channel.SYSTEM, now=ctx.now)
    ctx.log(f"  capacity: {Metric.objects.count()} metrics on {len(cis)} CIs")
