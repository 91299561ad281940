"""Filters of the catalog's item list, shared by the desk page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog import selectors
from catalog.models import CatalogItem, Category
from core.filters import YesNoFilter


class CatalogItemFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=200)
    # A top-level category lists its sub-categories' items too.
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), method="filter_category",
                                                label=_("Category"))
    active = YesNoFilter(label=_("Active"))

    class Meta:
        model = CatalogItem
        fields = ["search", "category", "active"]

    def filter_search(self, queryset, name, value):
        if "\x00" in value:
            return queryset.none()
        return selectors.search_items(None, value, queryset=queryset)

    def filter_category(self, queryset, name, value):
        return queryset.filter(Q(category=value) | Q(category__parent=value))
