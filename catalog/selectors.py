"""Reading the catalog: what a person may order, searching it (core.search, Korean and English),
and the business services an item may belong to."""

from catalog.models import CatalogItem
from core import search


def business_services():
    """The CMDB business services an item may belong to (cmdb marks them by class), not retired."""
    from cmdb.models import ConfigurationItem

    return ConfigurationItem.objects.active().business_services()


def refresh_search(ids=None):
    """Recompute the search document of these items (all without ids): the demo and imports that
    write items without catalog.services call this once after their batch."""
    search.refresh(CatalogItem, ids)


def search_items(user, text, *, queryset=None):
    """Items `user` may order whose names or descriptions (English or Korean) hold every word of
    `text` by prefix, best match first; all of them, by category, for an empty search."""
    items = (queryset if queryset is not None else CatalogItem.objects.orderable_by(user)).select_related("category")
    return search.apply(items, text)
