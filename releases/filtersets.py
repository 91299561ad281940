"""The one FilterSet behind the release list page and GET /api/v1/releases/."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from releases.choices import ReleaseState
from releases.models import Release

ORDERING_FIELDS = ["created_at", "updated_at", "planned_date", "number", "state", "version_label"]


class ReleaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    state = django_filters.MultipleChoiceFilter(label=_("State"), choices=ReleaseState.choices)
    assignment_group = django_filters.ModelChoiceFilter(label=_("Group"), queryset=Team.objects.all())
    change = django_filters.NumberFilter(label=_("Contains change"), field_name="changes")

    class Meta:
        model = Release
        fields = ["state", "assignment_group"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__iexact=value) | Q(title__icontains=value)
                               | Q(version_label__icontains=value))
