"""The one FilterSet behind the change list page and GET /api/v1/changes/."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from changes.choices import OPEN_STATES, ChangeState, ChangeType, Outcome, Risk
from changes.models import Change
from cmdb.models import ConfigurationItem
from core.filters import DateBoundFilter
from core.web import BIGINT_MAX

ORDERING_FIELDS = ["created_at", "updated_at", "planned_start", "number", "state", "risk"]


class ChangeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    state = django_filters.MultipleChoiceFilter(label=_("State"), choices=ChangeState.choices)
    open = django_filters.BooleanFilter(label=_("Open only"), method="filter_open")
    type = django_filters.MultipleChoiceFilter(label=_("Type"), choices=ChangeType.choices)
    risk = django_filters.MultipleChoiceFilter(label=_("Risk"), choices=Risk.choices)
    assignment_group = django_filters.ModelChoiceFilter(label=_("Group"), queryset=Team.objects.all())
    assigned_to = django_filters.ModelChoiceFilter(label=_("Assigned to"), queryset=User.objects.all())
    requested_by = django_filters.ModelChoiceFilter(label=_("Requested by"), queryset=User.objects.all())
    affected_ci = django_filters.NumberFilter(label=_("Affected CI"), method="filter_ci")
    service = django_filters.NumberFilter(label=_("Business service"), method="filter_service")
    # Date pickers on the page; API clients (and the calendar) still send ISO date-times.
    planned_after = DateBoundFilter(label=_("Ends after"), field_name="planned_end", lookup_expr="gte")
    planned_before = DateBoundFilter(label=_("Starts before"), field_name="planned_start", lookup_expr="lt",
                                     end_of_day=False)
    # The dashboards' figures link here (issue 16): changes raised in a month (emergency share) and
    # changes whose implementation ended in a month, by outcome (success rate).
    outcome = django_filters.MultipleChoiceFilter(label=_("Outcome"), choices=Outcome.choices)
    created_after = DateBoundFilter(field_name="created_at", lookup_expr="gte", label=_("Created from"))
    created_before = DateBoundFilter(field_name="created_at", lookup_expr="lt", label=_("Created to"))
    ended_after = DateBoundFilter(field_name="actual_end", lookup_expr="gte", label=_("Implementation ended from"))
    ended_before = DateBoundFilter(field_name="actual_end", lookup_expr="lt", label=_("Implementation ended to"))

    class Meta:
        model = Change
        fields = ["state", "type", "risk", "assignment_group", "assigned_to", "requested_by"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__iexact=value) | Q(title__icontains=value))

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(state__in=OPEN_STATES) if value else queryset.exclude(state__in=OPEN_STATES)

    def filter_ci(self, queryset, name, value):
        through = Change.affected_cis.through
        return queryset.filter(pk__in=through.objects.filter(configurationitem_id=value).values("change_id"))

    def filter_service(self, queryset, name, value):
        """Changes whose downstream impact reaches the service, or that touch it directly."""
        if not 0 < value <= BIGINT_MAX:  # no such id; PostgreSQL refuses it in an array (500)
            return queryset.none()
        through = Change.affected_cis.through
        return queryset.filter(Q(impacted_services__contains=[int(value)])
                               | Q(pk__in=through.objects.filter(configurationitem_id=value).values("change_id")))


def business_services():
    return ConfigurationItem.objects.business_services().order_by("name")
