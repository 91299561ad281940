"""The one FilterSet behind the agent queues and GET /api/v1/incidents/."""

from datetime import timedelta

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import Team, User
from cmdb.models import ConfigurationItem
from incidents import conf, search
from incidents.choices import OPEN_STATES, IncidentChannel, IncidentState, Priority
from incidents.models import Category, Incident
from sla.choices import ClockState
from sla.models import SLAClock


class Queue:
    MINE = "mine"
    MY_GROUPS = "my_groups"
    UNASSIGNED = "unassigned"
    BREACHING = "breaching"
    MAJOR = "major"
    OPEN = "open"
    ALL = "all"

    choices = [
        (MINE, _("My work")),
        (MY_GROUPS, _("My groups")),
        (UNASSIGNED, _("Unassigned")),
        (BREACHING, _("Breaching soon")),
        (MAJOR, _("Major incidents")),
        (OPEN, _("All open")),
        (ALL, _("All incidents")),
    ]


def clocks_of_incidents(**conditions):
    """An Exists() over the incident's SLA clocks (SLA sits below incidents: imported directly)."""
    return Exists(SLAClock.objects.filter(
        content_type=ContentType.objects.get_for_model(Incident), object_id=OuterRef("pk"), **conditions,
    ))


class IncidentFilterSet(django_filters.FilterSet):
    queue = django_filters.ChoiceFilter(label=_("Queue"), choices=Queue.choices, method="filter_queue")
    state = django_filters.MultipleChoiceFilter(label=_("State"), choices=IncidentState.choices, distinct=False)
    priority = django_filters.MultipleChoiceFilter(label=_("Priority"), choices=Priority.choices, distinct=False)
    channel = django_filters.MultipleChoiceFilter(label=_("Channel"), choices=IncidentChannel.choices,
                                                 distinct=False)
    assignment_group = django_filters.ModelChoiceFilter(label=_("Assignment group"), queryset=Team.objects.all())
    assigned_to = django_filters.ModelChoiceFilter(
        label=_("Assigned to"),
        queryset=User.objects.filter(groups__name__in=list(roles.DESK_ROLES)).distinct().order_by("display_name"),
    )
    caller = django_filters.ModelChoiceFilter(label=_("Caller"), queryset=User.objects.all())
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=Category.objects.filter(parent=None))
    subcategory = django_filters.ModelChoiceFilter(
        label=_("Subcategory"), queryset=Category.objects.exclude(parent=None).select_related("parent"),
    )
    # Business services only: the CMDB may hold 100,000 CIs, too many for a drop-down.
    service = django_filters.ModelChoiceFilter(label=_("Service"),
                                               queryset=ConfigurationItem.objects.business_services())
    configuration_item = django_filters.ModelChoiceFilter(
        label=_("Configuration item"), queryset=ConfigurationItem.objects.all(),
    )
    is_major = django_filters.BooleanFilter(label=_("Major incident"))
    parent = django_filters.ModelChoiceFilter(label=_("Major incident"), queryset=Incident.objects.all())
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte",
                                                     label=_("Created after"))
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt",
                                                      label=_("Created before"))
    updated_after = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte",
                                                     label=_("Updated after"))
    updated_before = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="lt",
                                                      label=_("Updated before"))
    breached = django_filters.BooleanFilter(label=_("SLA breached"), method="filter_breached")
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")

    class Meta:
        model = Incident
        fields = []

    def _user(self):
        return getattr(self.request, "user", None)

    def filter_queue(self, queryset, name, value):
        user = self._user()
        open_qs = queryset.filter(state__in=OPEN_STATES)
        if value == Queue.MINE:
            return open_qs.filter(assigned_to=user)
        if value == Queue.MY_GROUPS:
            return open_qs.filter(assignment_group__in=Team.objects.filter(members=user).values("pk"))
        if value == Queue.UNASSIGNED:
            return open_qs.filter(assigned_to__isnull=True)
        if value == Queue.MAJOR:
            return queryset.filter(is_major=True, state__in=OPEN_STATES | {IncidentState.RESOLVED})
        if value == Queue.BREACHING:
            soon = timezone.now() + timedelta(minutes=conf.breaching_soon_minutes())
            return open_qs.filter(clocks_of_incidents(state=ClockState.RUNNING, due_at__lte=soon))
        if value == Queue.OPEN:
            return open_qs
        return queryset

    def filter_breached(self, queryset, name, value):
        breached = clocks_of_incidents(state=ClockState.BREACHED)
        return queryset.filter(breached) if value else queryset.filter(~breached)

    def filter_search(self, queryset, name, value):
        return search.apply(queryset, value)


ORDERING_FIELDS = ["number", "priority", "state", "created_at", "updated_at", "resolved_at", "title"]
