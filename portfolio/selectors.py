"""Reads of the portfolio: a service's supporting CIs (the CMDB graph, through cmdb.graph), the
agreements that apply to it (SLA definitions) and the catalog items that deliver it."""

from django.db.models import Count

from catalog.models import CatalogItem
from cmdb import graph
from cmdb.choices import Direction
from portfolio.choices import Lifecycle
from portfolio.models import PortfolioService
from sla.models import SLADefinition

SUPPORT_DEPTH = 5


def supporting_cis(entry, *, depth=SUPPORT_DEPTH):
    """{upstream: what the service needs, downstream: what needs it}, each CI with `.depth`."""
    return {
        "upstream": graph.impact_of([entry.service_id], Direction.UPSTREAM, depth),
        "downstream": graph.impact_of([entry.service_id], Direction.DOWNSTREAM, depth),
    }


def agreements_by_service(service_ids):
    """service CI id → active SLA definitions that apply to it: those naming it in their
    `services` condition, and those with no services condition (they apply to every service).
    One query, whatever the number of services."""
    definitions = list(SLADefinition.objects.filter(active=True).only("id", "name", "agreement", "applies_to").order_by("name"))
    found = {}
    for service_id in service_ids:
        found[service_id] = [d for d in definitions if _applies(d, service_id)]
    return found


def _applies(definition, service_id):
    services = (definition.applies_to or {}).get("services")
    if not services:
        return True
    return service_id in {int(s) for s in services if str(s).isdigit()}


def catalog_items_by_service(service_ids):
    found = {service_id: [] for service_id in service_ids}
    for item in CatalogItem.objects.filter(service_id__in=list(service_ids)).order_by("name"):
        found[item.service_id].append(item)
    return found


def catalogue(user=None):
    """The published service catalogue: live services only, with their catalog items."""
    entries = list(PortfolioService.objects.live().select_related("service", "owner").order_by("service__name"))
    items = catalog_items_by_service([e.service_id for e in entries])
    active = {}
    for service_id, rows in items.items():
        active[service_id] = [item for item in rows if item.active]
    for entry in entries:
        entry.items = active.get(entry.service_id, [])
    return entries


def counts():
    return dict(PortfolioService.objects.order_by().values_list("lifecycle").annotate(n=Count("id")))


def annotate(entries):
    """Attach `.agreements` and `.items` to each entry (two queries for the whole page)."""
    ids = [e.service_id for e in entries]
    agreements = agreements_by_service(ids)
    items = catalog_items_by_service(ids)
    for entry in entries:
        entry.agreements = agreements.get(entry.service_id, [])
        entry.items = items.get(entry.service_id, [])
    return entries


LIFECYCLE_ORDER = [value for value, _label in Lifecycle.choices]
