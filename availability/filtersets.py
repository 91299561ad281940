import django_filters

from availability.models import Outage


class OutageFilterSet(django_filters.FilterSet):
    start_after = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="gte")
    start_before = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt")

    class Meta:
        model = Outage
        fields = ["service", "planned", "incident", "source"]
