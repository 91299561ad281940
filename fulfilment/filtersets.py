"""The FilterSets behind the desk's request list and task queue (the API may share them)."""

import django_filters
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from catalog.models import CatalogItem
from core import search as core_search
from core.filters import DateBoundFilter
from core.paging import capped_counts
from core.pickers import PickerField
from fulfilment.choices import LIVE_TASK_STATES, OPEN_REQUEST_STATES, OPEN_TASK_STATES, RequestState, TaskState
from fulfilment.models import Request, RequestItem, Task


class PersonFilter(django_filters.ModelChoiceFilter):
    """A person chosen with the desk's picker (thousands of people do not fit a drop-down)."""

    field_class = PickerField

    def __init__(self, *args, kind="person", **kwargs):
        kwargs.setdefault("queryset", User.objects.all())
        super().__init__(*args, **kwargs)
        self.extra["kind"] = kind
        self.extra["required"] = False


class RequestQueue:
    OPEN = "open"
    AWAITING_APPROVAL = "awaiting_approval"
    IN_FULFILMENT = "in_fulfilment"
    MINE = "mine"
    ALL = "all"

    choices = [
        (OPEN, _("All open")),
        (AWAITING_APPROVAL, _("Awaiting approval")),
        (IN_FULFILMENT, _("In fulfilment")),
        (MINE, _("Mine")),
        (ALL, _("All requests")),
    ]


def request_queue_q(value, user):
    """The requests of a tab as a Q (the list filters by it, the tabs count with it)."""
    if value == RequestQueue.OPEN:
        return Q(state__in=OPEN_REQUEST_STATES)
    if value == RequestQueue.AWAITING_APPROVAL:
        return Q(state=RequestState.AWAITING_APPROVAL)
    if value == RequestQueue.IN_FULFILMENT:
        return Q(state=RequestState.IN_FULFILMENT)
    if value == RequestQueue.MINE:
        # Mine: assigned to me, or holding an open task of mine (requests are worked through tasks).
        my_task = Task.objects.filter(request=OuterRef("pk"), assigned_to=user, state__in=OPEN_TASK_STATES)
        return Q(state__in=OPEN_REQUEST_STATES) & (Q(assigned_to=user) | Exists(my_task))
    return Q()


def request_queue_counts(queryset, user):
    """{tab: number of requests} for every tab, in one query."""
    return queryset.aggregate(**{value: Count("pk", filter=request_queue_q(value, user))
                                 for value, _label in RequestQueue.choices})


def search(queryset, value):
    """A ticket number exactly ("req0001001" too), else every word of the text (core.search)."""
    value = (value or "").strip()
    return core_search.apply(queryset, value) if value else queryset


class RequestFilterSet(django_filters.FilterSet):
    queue = django_filters.ChoiceFilter(label=_("Queue"), choices=RequestQueue.choices, method="filter_queue")
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    state = django_filters.MultipleChoiceFilter(label=_("State"), choices=RequestState.choices, distinct=False)
    requested_for = PersonFilter(label=_("Requested for"))
    requested_by = PersonFilter(label=_("Requested by"))
    catalog_item = django_filters.ModelChoiceFilter(
        label=_("Catalog item"), queryset=CatalogItem.objects.order_by("name"), method="filter_catalog_item",
        empty_label=_("Any"))
    assignment_group = django_filters.ModelChoiceFilter(label=_("Assignment group"), queryset=Team.objects.all(),
                                                        empty_label=_("Any"))
    created_after = DateBoundFilter(field_name="created_at", lookup_expr="gte", label=_("Created from"))
    created_before = DateBoundFilter(field_name="created_at", lookup_expr="lt", label=_("Created to"))

    class Meta:
        model = Request
        fields = []

    def filter_queue(self, queryset, name, value):
        return queryset.filter(request_queue_q(value, getattr(self.request, "user", None)))

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_catalog_item(self, queryset, name, value):
        return queryset.filter(Exists(RequestItem.objects.filter(request=OuterRef("pk"), catalog_item=value)))


REQUEST_ORDERING = ["number", "state", "created_at", "updated_at", "title"]


class TaskQueue:
    MINE = "mine"
    MY_GROUPS = "my_groups"
    UNASSIGNED = "unassigned"
    # Requests waiting for my decision: an agent's "awaiting approval" is the approvals they owe,
    # which hold up fulfilment; tasks of later stages (pending) show in "My groups" with the
    # stage they wait for. Listed from the approvals inbox's request source, not from tasks.
    AWAITING_APPROVAL = "awaiting_approval"
    ALL_OPEN = "open"

    choices = [
        (MINE, _("My tasks")),
        (MY_GROUPS, _("My groups")),
        (UNASSIGNED, _("Unassigned")),
        (AWAITING_APPROVAL, _("Awaiting approval")),
        (ALL_OPEN, _("All open")),
    ]
    task_tabs = (MINE, MY_GROUPS, UNASSIGNED, ALL_OPEN)


def team_ids(user):
    """The person's groups, read once per request (the queue's default tab and its filter ask)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if not hasattr(user, "_fulfilment_team_ids"):
        user._fulfilment_team_ids = list(Team.objects.filter(members=user).values_list("pk", flat=True))
    return user._fulfilment_team_ids


def task_queue_q(value, user):
    """The tasks of a tab. Each matches the condition of a partial index on Task (see its Meta):
    the list walks it in order and the tab's count stops at QUEUE_COUNT_CAP."""
    open_q = Q(state__in=OPEN_TASK_STATES)
    if value == TaskQueue.MINE:
        return open_q & Q(assigned_to=user)
    if value == TaskQueue.MY_GROUPS:
        # Pending tasks of my groups too: the work coming once the earlier stage is done. The
        # ids as values, not a subquery: the planner weighs how much of the work those groups hold.
        return Q(state__in=LIVE_TASK_STATES) & Q(assignment_group__in=team_ids(user))
    if value == TaskQueue.UNASSIGNED:
        return open_q & Q(assigned_to__isnull=True)
    if value == TaskQueue.ALL_OPEN:
        return open_q
    return Q()


# A tab's badge and a queue's "N tasks" count up to this, then read "1,000+": an exact count of
# 40,000 open tasks costs more than the page's rows, and nobody works a queue by its size.
QUEUE_COUNT_CAP = 1000


def task_queue_counts(queryset, user):
    """{tab: number of tasks, at most QUEUE_COUNT_CAP} for the task tabs, in one query."""
    return capped_counts({value: queryset.filter(task_queue_q(value, user)) for value in TaskQueue.task_tabs},
                         QUEUE_COUNT_CAP)


class TaskFilterSet(django_filters.FilterSet):
    queue = django_filters.ChoiceFilter(label=_("Queue"), choices=TaskQueue.choices, method="filter_queue")
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    state = django_filters.MultipleChoiceFilter(label=_("State"), choices=TaskState.choices, distinct=False)
    assignment_group = django_filters.ModelChoiceFilter(label=_("Assignment group"), queryset=Team.objects.all(),
                                                        empty_label=_("Any"))
    assigned_to = PersonFilter(label=_("Assigned to"), kind="agent")
    created_after = DateBoundFilter(field_name="created_at", lookup_expr="gte", label=_("Created from"))
    created_before = DateBoundFilter(field_name="created_at", lookup_expr="lt", label=_("Created to"))

    class Meta:
        model = Task
        fields = []

    def filter_queue(self, queryset, name, value):
        if value == TaskQueue.AWAITING_APPROVAL:
            return queryset.none()  # that tab lists requests (the view reads them from the inbox)
        return queryset.filter(task_queue_q(value, getattr(self.request, "user", None)))

    def filter_search(self, queryset, name, value):
        return search(queryset, value)


TASK_ORDERING = ["number", "state", "stage", "created_at", "updated_at", "title"]
