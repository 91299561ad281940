"""What a webhook says: `{type, timestamp, data, event}` where `data` is the record's API v1
representation, made by the record's own API serializer (one registry, model → serializer and the
relations to prefetch, so a batch of events costs a few queries per record type, not per event)."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field

from django.db.models import Prefetch, prefetch_related_objects
from rest_framework.utils.encoders import JSONEncoder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Representation:
    serializer: type
    prefetch: tuple = field(default_factory=tuple)


_registry: dict[type, Representation] | None = None


def registry() -> dict[type, Representation]:
    """Model class → how it is represented; built on first use (serializers import every app)."""
    global _registry
    if _registry is None:
        _registry = _build()
    return _registry


def _build():
    from changes.api.serializers import ChangeSerializer
    from changes.models import Approval, Change
    from cmdb.api.serializers import ConfigurationItemSerializer
    from cmdb.models import ConfigurationItem
    from fulfilment.api.serializers import FulfilmentTaskSerializer, ServiceRequestSerializer
    from fulfilment.models import Request, RequestApproval, RequestItem, Task
    from incidents.api.serializers import IncidentSerializer
    from incidents.models import Incident
    from knowledge.api.serializers import ArticleSerializer
    from knowledge.models import Article
    from problems.api.serializers import ProblemSerializer
    from problems.models import Problem
    from releases.api.serializers import ReleaseSerializer
    from releases.models import Deployment, Release
    from sla.models import SLAClock

    clocks = Prefetch("sla_clocks", queryset=SLAClock.objects.select_related("definition"))
    return {
        Incident: Representation(IncidentSerializer, (
            "caller", "assignment_group", "assigned_to", "category", "subcategory", "service",
            "configuration_item", "parent", clocks)),
        Problem: Representation(ProblemSerializer),
        Change: Representation(ChangeSerializer, (
            "requested_by", "affected_cis", "caused_incidents",
            Prefetch("approvals", queryset=Approval.objects.select_related("approver").order_by(
                "round", "stage_order", "created_at", "id")))),
        Release: Representation(ReleaseSerializer, (
            "changes", Prefetch("deployments", queryset=Deployment.objects.order_by("created_at", "id")))),
        Request: Representation(ServiceRequestSerializer, (
            "requested_by", "requested_for", clocks,
            Prefetch("items", queryset=RequestItem.objects.select_related("catalog_item").prefetch_related(
                Prefetch("approvals", queryset=RequestApproval.objects.select_related("approver")))))),
        Task: Representation(FulfilmentTaskSerializer, ("request", "change", clocks)),
        Article: Representation(ArticleSerializer, ("organisations", "services", "configuration_items",
                                                    "known_errors")),
        ConfigurationItem: Representation(ConfigurationItemSerializer),
    }


def register(model, serializer, prefetch=()):
    """For an app added later (or a test's model): how its records are represented."""
    registry()[model] = Representation(serializer, tuple(prefetch))


def prefetch(records) -> None:
    """Load the relations the representations need, one batch per record type."""
    by_model: dict[type, list] = {}
    for record in records:
        if record is not None:
            by_model.setdefault(type(record), []).append(record)
    for model, rows in by_model.items():
        spec = registry().get(model)
        if spec is not None and spec.prefetch:
            prefetch_related_objects(rows, *spec.prefetch)


def represent(record) -> dict | None:
    """The record as API v1 shows it to desk staff; a record type without an API serializer shows
    its id and name."""
    if record is None:
        return None
    spec = registry().get(type(record))
    if spec is None:
        return {"id": record.pk, "display": str(record)}
    return spec.serializer(record, context={"request": None, "webhook": True}).data


# A burst of events about one record (a bulk update, an import) fans out over several dispatcher
# batches: a representation made in the last seconds for the same row version is reused. The key
# holds `version` and `updated_at`, so a record written since is represented afresh; what can lag
# by at most REUSE_SECONDS is a related row the record's own write does not touch (an SLA clock).
REUSE_SECONDS = 2.0
_recent: dict[tuple, tuple[float, dict]] = {}


def _stamp(record):
    return (type(record), record.pk, getattr(record, "version", None), getattr(record, "updated_at", None))


def _reused(records, now):
    if len(_recent) > 5000:
        for key in [k for k, (at, _r) in _recent.items() if now - at > REUSE_SECONDS]:
            del _recent[key]
    found = {}
    for record in records:
        hit = _recent.get(_stamp(record))
        if hit is not None and now - hit[0] <= REUSE_SECONDS:
            found[(type(record), record.pk)] = hit[1]
    return found


def represent_all(records) -> dict:
    """{(model, pk): representation} of distinct records, with one serializer per record type
    (DRF builds a serializer's fields per instance: one `many=True` serializer builds them once,
    which made a batch of 100 incident events 30 times cheaper)."""
    now = time.monotonic()
    distinct = {(type(r), r.pk): r for r in records if r is not None}
    found = _reused(distinct.values(), now)
    by_model: dict[type, dict] = {}
    for (model, pk), record in distinct.items():
        if (model, pk) not in found:
            by_model.setdefault(model, {})[pk] = record
    prefetch([r for rows in by_model.values() for r in rows.values()])
    for model, rows in by_model.items():
        spec = registry().get(model)
        if spec is None:
            found.update({(model, pk): {"id": pk, "display": str(r)} for pk, r in rows.items()})
            continue
        data = spec.serializer(list(rows.values()), many=True, context={"request": None, "webhook": True}).data
        for record, item in zip(rows.values(), data):
            found[(model, record.pk)] = item
            _recent[_stamp(record)] = (now, item)
    return found


def body(*, name, at, event_id, record, channel="", actor=None, data=None, representation=...) -> str:
    """The JSON text sent for one outbox event (built once; every attempt sends the same bytes)."""
    document = {
        "type": name,
        "timestamp": at.isoformat() if at is not None else None,
        "data": represent(record) if representation is ... else representation,
        "event": {"id": event_id, "record_type": record._meta.label_lower if record is not None else None,
                  "channel": channel or "", "actor": getattr(actor, "pk", actor),
                  # a security incident's changes (its diff) stay out of the payload (issue 17, item 7)
                  "details": {} if getattr(record, "is_security", False) else
                  {k: v for k, v in (data or {}).items() if k != "quiet"}},
    }
    return json.dumps(document, cls=JSONEncoder, ensure_ascii=False, separators=(",", ":"))
