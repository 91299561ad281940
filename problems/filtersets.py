"""One FilterSet for the problem list, shared by the agent list page and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from core.filters import DateBoundFilter
from problems.choices import OPEN_STATES, CauseCategory, Priority, ProblemState
from problems.models import Problem
from problems.selectors import search_problems


class ProblemFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    state = django_filters.MultipleChoiceFilter(
        label=_("State"), choices=ProblemState.choices, widget=forms.CheckboxSelectMultiple
    )
    open = django_filters.BooleanFilter(label=_("Open only"), method="filter_open")
    known_error = django_filters.BooleanFilter(
        label=_("Known error"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Published")), ("false", _("Not published"))]),
    )
    priority = django_filters.MultipleChoiceFilter(label=_("Priority"), choices=Priority.choices)
    cause_category = django_filters.MultipleChoiceFilter(label=_("Cause category"), choices=CauseCategory.choices)
    assignment_group = django_filters.ModelChoiceFilter(label=_("Assignment group"), queryset=Team.objects.all())
    assigned_to = django_filters.ModelChoiceFilter(
        label=_("Assigned to"), queryset=User.objects.filter(is_active=True)
    )
    incident = django_filters.NumberFilter(label=_("Incident id"), field_name="incidents", distinct=True)
    configuration_item = django_filters.NumberFilter(
        label=_("Configuration item id"), field_name="configuration_items", distinct=True
    )
    created_after = DateBoundFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateBoundFilter(field_name="created_at", lookup_expr="lt")
    updated_after = DateBoundFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Problem
        fields = []

    def filter_search(self, queryset, name, value):
        return search_problems(queryset, value)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(state__in=OPEN_STATES) if value else queryset.exclude(state__in=OPEN_STATES)

