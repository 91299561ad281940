"""The one FilterSet behind the agent queues and GET /api/v1/incidents/."""

import datetime as dt
import re

import django_filters
from django.db import connection
from django.db.models import Count, Q, Value
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import Team, User
from cmdb.models import ConfigurationItem
from core import memo, prepared
from core.filters import DateBoundFilter, FormClassKept, YesNoFilter, share_when_copied
from incidents import measures, search
from incidents.choices import OPEN_STATES, IncidentChannel, IncidentState, Priority
from incidents.models import Category, Incident
from sla import queues as sla_queues
from sla.models import SLADefinition


class Queue:
    MINE = "mine"
    MY_GROUPS = "my_groups"
    UNASSIGNED = "unassigned"
    BREACHING = "breaching"
    BREACHED = "breached"
    MAJOR = "major"
    OPEN = "open"
    ALL = "all"

    choices = [
        (MINE, _("My work")),
        (MY_GROUPS, _("My groups")),
        (UNASSIGNED, _("Unassigned")),
        (BREACHING, _("Breaching soon")),
        (BREACHED, _("Breached, still open")),
        (MAJOR, _("Major incidents")),
        (OPEN, _("All open")),
        (ALL, _("All incidents")),
    ]


def _open_tab_q(value, user, *, now=None, soon=None):
    """What an open-work tab asks of an open incident beyond being open (Q() for "All open"),
    or None for the tabs that are not open work (Major, All)."""
    if value == Queue.MINE:
        return Q(assigned_to=user)
    if value == Queue.MY_GROUPS:
        return Q(assignment_group__in=Team.objects.filter(members=user).values("pk"))
    if value == Queue.UNASSIGNED:
        return Q(assigned_to__isnull=True)
    if value == Queue.BREACHING:
        return sla_queues.clock_breaching_soon_q(Incident, soon or sla_queues.window(now))
    if value == Queue.BREACHED:
        return sla_queues.breached_q(Incident, now)
    if value == Queue.OPEN:
        return Q()
    return None


def queue_q(value, user, *, now=None, soon=None):
    """The incidents of a queue as a Q (the list filters by it, the tabs count with it)."""
    if value == Queue.MAJOR:
        return Q(is_major=True, state__in=OPEN_STATES | {IncidentState.RESOLVED})
    condition = _open_tab_q(value, user, now=now, soon=soon)
    if condition is None:
        return Q()
    return Q(state__in=OPEN_STATES) & condition


# The "All incidents" tab counts up to this, then reads "10,000+" (as the API's unfiltered count
# does, core.paging.LargeListPaginator): an exact COUNT(*) of every incident is a sequential read
# of the whole table on every queue page (8-100 ms at 100,000 incidents, growing with the table);
# reading 10,001 rows stops after a tenth of that and does not grow.
ALL_COUNT_CAP = 10_000


# Stand-ins for the instants a request's tab counts are taken at (year 1: no real instant). The
# counts' statement is compiled with them once, and each request puts its own instants in their
# place, as incidents.security does with a user's id.
_PROBE_NOW = dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc)


def _probe_window(soon):
    """(`soon` with a distinct stand-in instant for each calendar's end, {stand-in: real instant},
    the calendars and which have no end: what the statement's shape depends on)."""
    instants, ends = {_PROBE_NOW: soon.now}, {}
    by_calendar = sorted(soon.ends.items(), key=lambda item: (item[0] is not None, item[0] or 0))
    for n, (calendar, end) in enumerate(by_calendar):
        if end is not None:
            probe = _PROBE_NOW + dt.timedelta(minutes=n + 1)
            instants[probe] = end
            end = probe
        ends[calendar] = end
    layout = tuple((calendar, end is None) for calendar, end in ends.items())
    reach = None
    if soon.furthest is not None:
        reach = _PROBE_NOW + dt.timedelta(minutes=len(by_calendar) + 1)
        instants[reach] = soon.furthest
    return sla_queues.Window(now=_PROBE_NOW, minutes=soon.minutes, ends=ends, reach=reach), instants, layout


def _counts_statement(user, soon):
    """(sql, params) of every tab's count as one row, at the stand-in instants of `soon`."""
    queryset = Incident.objects.visible_to(user)
    # The open-work tabs are counted among the open incidents alone, with the state condition in
    # the WHERE only, not repeated in each tab's FILTER: PostgreSQL then reads the covering
    # partial index of the open incidents (inc_open_queue_idx: group, assignee, is_security for
    # the visibility rule, and the SLA standing for the Breached and Breaching soon tabs,
    # sla.rowstate) without visiting the table. Reading the open and resolved rows
    # through the table instead cost ~300 ms at 1,000,000 incidents: 45,000 rows on 30,000
    # scattered pages (bench/README.md, "Issue 12, third round: side by side").
    open_tabs = {value: _open_tab_q(value, user, now=_PROBE_NOW, soon=soon) for value, _label in Queue.choices}
    open_tabs = {value: condition for value, condition in open_tabs.items() if condition is not None}
    # An aggregate over a constant "group" is aggregate() as a queryset: its SQL, not its row.
    tabs = queryset.filter(state__in=OPEN_STATES).order_by().values(_all=Value(1)).annotate(**{
        value: Count("pk", filter=condition) if condition else Count("pk")
        for value, condition in open_tabs.items()
    }).values(*open_tabs)
    # Major incidents (open or resolved, a handful) through their own partial index (inc_major_idx).
    major = queryset.filter(queue_q(Queue.MAJOR, user)).order_by().values(_all=Value(1)).annotate(
        major=Count("pk")).values("major")
    everything = queryset.order_by().values("pk")[: ALL_COUNT_CAP + 1]
    (tabs_sql, tabs_params), (major_sql, major_params), (all_sql, all_params) = (
        rows.query.sql_with_params() for rows in (tabs, major, everything))
    capped, capped_params = f"(SELECT COUNT(*) FROM ({all_sql}) AS capped)", list(all_params)
    if roles.is_agent(user):
        capped, capped_params = _agents_capped_all(capped, capped_params)
    sql = f"SELECT * FROM ({tabs_sql}) AS tabs, ({major_sql}) AS major, {capped} AS everything"
    sql, params = _one_plan(sql, [*tabs_params, *major_params, *capped_params], user.pk)
    return sql, params, [*open_tabs, Queue.MAJOR, Queue.ALL]


# Where the statement compares a column with the person's id: their assignments, their teams'
# memberships and the security rule's membership and designation (incidents.security).
_PERSON = re.compile(r'"(?:assigned_to_id|user_id)" = $')


def _one_plan(sql, params, person):
    """(sql, params) of the same statement, planned once per connection rather than per request,
    and the same text for everyone whose roles give it the same shape.

    PostgreSQL spent longer planning the tabs' counts than running them (1.4-3 ms against ~2 ms at
    100,000 incidents; issue 12, eighth round). Sent as a prepared statement (core.prepared) it
    could keep one generic plan, but PostgreSQL keeps re-planning when the generic plan's estimate
    is above the per-request ones. So:
    - the constants (the states, the permission's name, the caps) are written into the text: the
      planner sees the states and still proves the open incidents' partial index usable;
    - the instants and the person's id stay parameters, each behind a one-row sub-select, which
      hides its value from the planner on every execution alike. The per-request plans then cost
      what the generic plan costs, and after PostgreSQL's five trial plans it keeps the generic
      one (planning ~0.05 ms);
    - without the person's id in it, the text is one prepared statement for every person of a
      shape, not one each: a connection keeps core.prepared.LIMIT statements, the one used least
      recently making way, and one per person would push out the creates' and the lists'."""
    kept = []

    def place(index, offset):
        value = params[index]
        if type(value) is dt.datetime:
            kept.append(value)
            return "(SELECT %s::timestamptz)"
        if value == person and _PERSON.search(sql, 0, offset):
            kept.append(value)
            return "(SELECT %s::bigint)"
        return connection.ops.compose_sql("%s", [value]).replace("%", "%%")

    return prepared.each_placeholder(sql, place), kept


def _agents_capped_all(capped, params):
    """The "All" tab's capped count for desk staff, without reading 10,001 rows of the table.

    Desk staff see every incident but, at most, the security incidents (incidents.security), so
    they see at least (incidents - security incidents). Counting ALL_COUNT_CAP + 1 + S entries of
    the primary key's index (S, the security incidents, by their partial index) reads only the
    index, where the `capped` count reads table rows for the security rule's column: 1.3 ms
    against 7.5 ms at 100,000 incidents (bench/README.md, "Issue 12, seventh round: side by
    side"). When that bound is past the cap the answer is "more than the cap"; only below it
    (a small table) is the exact `capped` count (with its `params`) run."""
    table = connection.ops.quote_name(Incident._meta.db_table)
    pk = connection.ops.quote_name(Incident._meta.pk.column)
    is_security = connection.ops.quote_name(Incident._meta.get_field("is_security").column)
    # "More than cap + S entries" is whether the index has an entry past the first cap + S: one
    # row asked for after skipping them, not a count of each (0.75 ms against 1.8 ms at 100,000).
    sql = (f"(SELECT CASE WHEN EXISTS (SELECT 1 FROM {table} ORDER BY {pk} OFFSET %s + hidden.n) "
           f"THEN %s ELSE {capped} END "
           f"FROM (SELECT COUNT(*) AS n FROM {table} WHERE {is_security}) AS hidden)")
    return sql, [ALL_COUNT_CAP, ALL_COUNT_CAP + 1, *params]


def queue_counts(user, *, now=None, soon=None):
    """{queue: number of the user's visible incidents} for every queue tab, in one statement (plus
    the window's, unless the caller already holds it: the list's filterset does). "All" is exact
    up to ALL_COUNT_CAP; ALL_COUNT_CAP + 1 reads "more than ALL_COUNT_CAP".

    The statement is compiled once per person and calendar layout, kept per process under the
    membership generation (the person's roles decide what they see): compiling its seven FILTER
    clauses through the ORM was a fifth of the queue page's CPU (issue 12, sixth round)."""
    now = now or timezone.now()
    soon = soon or sla_queues.window(now)
    probe_window, instants, layout = _probe_window(soon)
    key = f"incidents.queue_counts:{user.pk}:{user.is_superuser}:{layout}:{ALL_COUNT_CAP}"
    sql, params, names = memo.memoised(key, lambda: _counts_statement(user, probe_window),
                                       key=memo.MEMBERSHIP)
    params = [instants.get(param, param) if type(param) is dt.datetime else param for param in params]
    with connection.cursor() as cursor:
        prepared.execute(connection, cursor, sql, params)
        row = cursor.fetchone()
    counts = dict(zip(names, row))
    return {value: counts[value] for value, _label in Queue.choices}


class SLAState:
    RUNNING = "running"
    PAUSED = "paused"

    choices = [(RUNNING, _("Clock running")), (PAUSED, _("Clock paused"))]


@share_when_copied
class IncidentFilterSet(FormClassKept, django_filters.FilterSet):
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
    created_after = DateBoundFilter(field_name="created_at", lookup_expr="gte", label=_("Created from"))
    created_before = DateBoundFilter(field_name="created_at", lookup_expr="lt", label=_("Created to"))
    updated_after = DateBoundFilter(field_name="updated_at", lookup_expr="gte", label=_("Updated from"))
    updated_before = DateBoundFilter(field_name="updated_at", lookup_expr="lt", label=_("Updated to"))
    # The dashboards' figures link here (issue 16): resolved in a month (MTTR, FCR), first-contact
    # resolution, the backlog at an instant, and the incidents under one SLA definition.
    resolved_after = DateBoundFilter(field_name="resolved_at", lookup_expr="gte", label=_("Resolved from"))
    resolved_before = DateBoundFilter(field_name="resolved_at", lookup_expr="lt", label=_("Resolved to"))
    first_contact = YesNoFilter(label=_("Resolved at first contact"), method="filter_first_contact")
    open_at = DateBoundFilter(label=_("In the backlog at"), method="filter_open_at")
    sla_definition = django_filters.ModelChoiceFilter(label=_("SLA definition"),
                                                      queryset=SLADefinition.objects.all(),
                                                      method="filter_sla_definition")
    breached = YesNoFilter(label=_("SLA breached"), method="filter_breached")
    sla = django_filters.ChoiceFilter(label=_("SLA clock"), choices=SLAState.choices, method="filter_sla",
                                      empty_label=_("Any"))
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")

    class Meta:
        model = Incident
        fields = []

    def _user(self):
        return getattr(self.request, "user", None)

    @cached_property
    def now(self):
        return timezone.now()

    @cached_property
    def soon(self):
        """The breaching-soon window, worked out once for the filter and the tabs' counts."""
        return sla_queues.window(self.now)

    def filter_queue(self, queryset, name, value):
        soon = self.soon if value == Queue.BREACHING else None
        return queryset.filter(queue_q(value, self._user(), now=self.now, soon=soon))

    def _definition(self):
        data = getattr(self.form, "cleaned_data", None) or {}
        return data.get("sla_definition")

    def filter_breached(self, queryset, name, value):
        # With ?sla_definition= the breach is one of that definition's clocks (per-definition attainment).
        breached = sla_queues.breached_q(Incident, self.now, definition=self._definition())
        return queryset.filter(breached) if value else queryset.filter(~breached)

    def filter_first_contact(self, queryset, name, value):
        return queryset.filter(measures.first_contact_q() if value else measures.not_first_contact_q())

    def filter_open_at(self, queryset, name, value):
        return queryset.filter(measures.backlog_at_q(value))

    def filter_sla_definition(self, queryset, name, value):
        return queryset.filter(sla_queues.under_definition_q(Incident, value))

    def filter_sla(self, queryset, name, value):
        return queryset.filter(sla_queues.clock_state_q(Incident, value))

    def filter_search(self, queryset, name, value):
        return search.apply(queryset, value)


ORDERING_FIELDS = ["number", "priority", "state", "created_at", "updated_at", "resolved_at", "title"]
