"""Which records serve which ISO/IEC 20000-1 clause: a registry each app fills in its
`AppConfig.ready()`, read by the readiness view and the evidence packs (the `iso` app), so that the
auditor's view of a clause grows with the apps installed and no app below knows about `iso`.

    evidence.register("8.6.1", "incidents.Incident", date_field="created_at",
                      label=_("Incidents"), kpi=incident_kpis)

`model` is an app label ("app.Model") resolved lazily; `date_field` says when a record happened
(the period filter and "records in the last 90 days"); `queryset`, when given, narrows what counts
(security incidents only, approved documents only); `kpi`, when given, is called as
kpi(start, end) -> list of {"name", "value", "unit", "target"} for the clause's KPI results.
"""

from dataclasses import dataclass
from typing import Callable

from django.apps import apps

from core import clauses


@dataclass(frozen=True)
class EvidenceSource:
    clause_id: str
    model_label: str
    date_field: str
    label: object
    queryset: Callable | None = None
    kpi: Callable | None = None

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def records(self, start=None, end=None):
        """The records of the period (start inclusive, end exclusive), as a queryset."""
        qs = self.queryset() if self.queryset else self.model._default_manager.all()
        if start is not None:
            qs = qs.filter(**{f"{self.date_field}__gte": start})
        if end is not None:
            qs = qs.filter(**{f"{self.date_field}__lt": end})
        return qs


_SOURCES: dict[tuple[str, str], EvidenceSource] = {}


def register(clause_id, model_label, *, date_field="created_at", label, queryset=None, kpi=None):
    if clauses.get(clause_id) is None:
        raise ValueError(f"Unknown ISO/IEC 20000-1 clause {clause_id!r}")
    _SOURCES[(clause_id, model_label)] = EvidenceSource(clause_id, model_label, date_field, label, queryset, kpi)


def sources(clause_id=None) -> list[EvidenceSource]:
    found = [s for s in _SOURCES.values() if clause_id is None or s.clause_id == clause_id]
    return sorted(found, key=lambda s: (s.clause_id, s.model_label))


def clause_ids() -> set[str]:
    return {s.clause_id for s in _SOURCES.values()}
