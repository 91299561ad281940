"""One FilterSet for the register, shared by the desk list and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import User
from core import search
from core.filters import YesNoFilter
from improvements.choices import OPEN_STATES, ImprovementPriority, ImprovementState, Kind, SourceType
from improvements.models import Improvement


def _staff():
    return User.objects.filter(is_active=True, groups__name__in=sorted(roles.DESK_ROLES)).distinct().order_by(
        "display_name", "username")


class ImprovementFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    source_type = django_filters.MultipleChoiceFilter(label=_("Source"), choices=SourceType.choices)
    state = django_filters.MultipleChoiceFilter(label=_("State"), choices=ImprovementState.choices,
                                                widget=forms.CheckboxSelectMultiple)
    open = django_filters.BooleanFilter(label=_("Open only"), method="filter_open")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("Any"))
    priority = django_filters.MultipleChoiceFilter(label=_("Priority"), choices=ImprovementPriority.choices)
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=_staff())
    organisation = django_filters.NumberFilter(label=_("Organisation id"), field_name="organisation_id")
    service = django_filters.NumberFilter(label=_("Service id"), field_name="service_id")
    overdue = YesNoFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Improvement
        fields = []

    def filter_search(self, queryset, name, value):
        return search.apply(queryset, value) if value.strip() else queryset

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(state__in=OPEN_STATES) if value else queryset.exclude(state__in=OPEN_STATES)

    def filter_overdue(self, queryset, name, value):
        from django.utils import timezone

        if value is None:
            return queryset
        overdue = {"state__in": OPEN_STATES, "due_date__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)
