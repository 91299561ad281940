"""Filters shared by the agent CI list, the export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from cmdb.choices import CIStatus, Criticality, Environment, RelationshipType
from cmdb.models import CIClass, ConfigurationItem, Relationship


class ConfigurationItemFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    ci_class = django_filters.ModelMultipleChoiceFilter(
        field_name="ci_class__slug", to_field_name="slug", queryset=CIClass.objects.all(), label=_("Class"),
    )
    status = django_filters.MultipleChoiceFilter(choices=CIStatus.choices, label=_("Status"))
    environment = django_filters.MultipleChoiceFilter(choices=Environment.choices, label=_("Environment"))
    criticality = django_filters.MultipleChoiceFilter(choices=Criticality.choices, label=_("Criticality"))
    owner_group = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), label=_("Owner group"))
    tag = django_filters.CharFilter(method="filter_tag", label=_("Tag"))
    external_id = django_filters.CharFilter(label=_("External id"))

    class Meta:
        model = ConfigurationItem
        fields = ["q", "ci_class", "status", "environment", "criticality", "owner_group", "tag", "external_id"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(external_id__iexact=value) | Q(location__icontains=value)
            | Q(vendor__icontains=value)
        )

    def filter_tag(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # A quoted substring match on the JSON text finds a whole tag case-insensitively, which
        # JSON containment (case-sensitive) would not.
        return queryset.filter(tags__icontains=f'"{value}"')


class RelationshipFilterSet(django_filters.FilterSet):
    type = django_filters.MultipleChoiceFilter(choices=RelationshipType.choices, label=_("Type"))
    ci = django_filters.NumberFilter(method="filter_ci", label=_("Either end"))

    class Meta:
        model = Relationship
        fields = ["source", "target", "type", "ci"]

    def filter_ci(self, queryset, name, value):
        return queryset.filter(Q(source_id=value) | Q(target_id=value))
