"""Which CI an event is about: the administrator's CI mapping rules, then the defaults.

Runs on the slow path only (the first event of a fingerprint); repeats reuse the alert's CI.
"""

from cmdb.models import ConfigurationItem
from monitoring import rules
from monitoring.choices import CITarget
from monitoring.models import CIMappingRule


def _lookup(target: str, attribute: str, value: str):
    queryset = ConfigurationItem.objects.only("id", "name", "environment", "criticality", "ci_class_id")
    if target == CITarget.EXTERNAL_ID:
        return queryset.filter(external_id=value).first()
    if target == CITarget.ATTRIBUTE:
        return queryset.filter(**{f"attributes__{attribute}": value}).order_by("pk").first()
    # A name is unique per class and environment only: prefer the production CI.
    return _by_name(queryset, value)


def _by_name(queryset, value):
    found = list(queryset.filter(name=value).order_by("pk")[:5])
    if not found:
        return None
    return next((ci for ci in found if ci.environment == "production"), found[0])


def find_ci(event):
    """The CI the first matching rule finds, else the event's CI as external id or name, else the node."""
    for rule in CIMappingRule.objects.filter(active=True).order_by("order", "id"):
        value = rules.map_value(match_on=rule.match_on, label=rule.label, pattern=rule.pattern, ci=event.ci,
                                node=event.node, labels=event.labels)
        if value is None:
            continue
        found = _lookup(rule.target, rule.attribute, value)
        if found is not None:
            return found
    if event.ci:
        found = _lookup(CITarget.EXTERNAL_ID, "", event.ci) or _lookup(CITarget.NAME, "", event.ci)
        if found is not None:
            return found
    if event.node:
        return _lookup(CITarget.NAME, "", event.node)
    return None
