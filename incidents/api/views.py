"""API v1 incidents: the core TicketViewSet with incident services behind it."""

from functools import partial

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.response import Response

from core.api.mixins import ApiActorMixin, number_or_id
from core.api.viewsets import TicketCommentViewSet, TicketViewSet
from accounts import roles
from accounts.models import User
from core.api.filtering import FilterBackend, named_filters, written_filters
from core.paging import STAND_IN_PK, CountedPageListPaginator, WrittenIds
from core import search
from core.search import ticket_number
from core.web import parse_id
from incidents import security, security_services, services
from incidents.api import rows
from incidents.api.serializers import CommentSerializer, IncidentSerializer, SecurityNotificationSerializer
from incidents.filtersets import ORDERING_FIELDS, IncidentFilterSet
from incidents.models import Incident
from incidents.paging import CappedCountPaginator, search_estimate
from sla.api.serializers import LISTED_CLOCK_COLUMNS, LISTED_CLOCKS
from sla.models import SLAClock


def incident_queryset(user, reading=False):
    """The incidents of API v1 with what their representation shows. `reading` (a detail by
    number or filtered, the tests of the representation): only what IncidentSerializer reads,
    no more (issue 12, third round: the team and CI rows of the desk's list relations are shown
    by id, which the incident row holds; a user is shown by id and names, not with their
    settings; a clock with its definition's name, not the definition's conditions), as
    incidents.api.rows reads a list's page and a detail by id. Writes read the full rows, which
    the services use."""
    incidents = Incident.objects.visible_to(user).with_list_relations()
    clocks = SLAClock.objects.select_related("definition")
    if reading:
        incidents = incidents.only_rows(*rows.READ_RELATIONS, columns=rows.READ_COLUMNS)
        clocks = clocks.only(*LISTED_CLOCK_COLUMNS)
    return incidents.prefetch_related(*incident_prefetches(clocks))


def incident_prefetches(clocks=None):
    """The clocks and the parent's number, which the representation shows."""
    return (
        Prefetch("sla_clocks", queryset=clocks if clocks is not None else SLAClock.objects.select_related("definition"),
                 to_attr=LISTED_CLOCKS),
        # `parent` shows the major incident's number: one query for the page's children, not
        # one per child.
        Prefetch("parent", queryset=Incident.objects.only(*rows.PARENT_COLUMNS)),
    )


def _plain_page(page):
    """Whether the paginator takes `page` (the query's) without refusing it before reading a page:
    none, the first, `last` (counted by the ORM's path) or a page number."""
    return page in (None, "", "last") or (
        page.isascii() and page.isdigit() and len(page) <= 9 and int(page) >= 1)


def stand_in(user):
    """A user of the id no row has (core.paging.STAND_IN_PK) with `user`'s roles: what a list's
    id statement is compiled for (IncidentViewSet.written_ids)."""
    probe = User(pk=STAND_IN_PK, is_superuser=user.is_superuser, is_active=user.is_active)
    roles.remember_role_names(probe, roles.role_names(user))
    return probe


@extend_schema_view(list=extend_schema(description=(
    "Incidents the caller may see, newest first unless `ordering` says otherwise. `count` is exact "
    "up to 10,000; a longer list reports 10,000 (read: at least 10,000) and `next` keeps paging to "
    "its end. With `search`, `count` stops at 1,000 and so do the pages; a whole ticket number "
    "(`INC0051000`, any case) finds that incident alone."
)), create=extend_schema(description=(
    "Open an incident. Desk staff set any writable field, `channel` included (how it was reported; "
    "`api` if not given). An end user sets only `title`, `description`, `urgency` and `service` (a "
    "live business service, as the portal offers): sending any other writable field answers 403 "
    "naming it, before any value is checked, and nothing is recorded. An end user's incident has "
    "impact 3 (low), its priority from the matrix, channel `api` and the caller as caller."
)))
class IncidentViewSet(TicketViewSet):
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    ordering_fields = ORDERING_FIELDS
    ordering = ["-created_at"]
    # Page over ids (index-only), then load the page's rows with relations: see incidents.paging.
    page_by_ids = True
    search_paginator_class = CappedCountPaginator
    # open_incident returns the row as inserted, relations attached (core.api.viewsets).
    created_from_memory = True
    list_paginator_class = CountedPageListPaginator

    # A search for a whole ticket number with nothing else to filter by: see list().
    NUMBER_SEARCH_PARAMS = frozenset({"search", "page_size", "ordering", "format"})
    # A word search that nothing else narrows may skip counting a common word (incidents.paging).
    WORD_SEARCH_PARAMS = NUMBER_SEARCH_PARAMS | {"page"}

    # A list that nothing but these shape (none names a filter of IncidentFilterSet, nor a
    # search): its page's ids come by a statement written once per process (written_ids).
    WRITTEN_LIST_PARAMS = frozenset({"page_size", "page", "ordering", "format"})
    # The filters whose values a written statement takes as parameters, after the checks their
    # form makes (core.api.filtering.written_filters): the common ones, each one column's value.
    WRITTEN_FILTERS = frozenset({"state", "priority", "channel", "assignment_group", "assigned_to", "caller",
                                 "category", "subcategory", "service", "configuration_item", "parent",
                                 "is_major"})

    def get_queryset(self):
        if self.action == "list":
            # A list reads its page's ids only: the rows come by page_rows.
            return self.list_queryset(self.request.user)
        return incident_queryset(self.request.user, reading=self.action == "retrieve")

    @staticmethod
    def list_queryset(user):
        return Incident.objects.visible_to(user)

    def _list_ids(self, user):
        """The ids a list pages for `user`: ids_of(filter_queryset(get_queryset())), as the
        generic path pages them."""
        return self.ids_of(self.filter_queryset(self.list_queryset(user)))

    def written_ids(self, request):
        """The list's ids as core.paging.WrittenIds, or None for the generic path: a list shaped
        by WRITTEN_LIST_PARAMS and WRITTEN_FILTERS alone, by a signed-in user. Its statement's
        key is what the SQL depends on besides the user's id and the filters' values: the role
        names (visible_to and the security rule read nothing else of the user), the ordering
        the filter backends apply (the others filter nothing without their parameters) and the
        filters' shape (core.api.filtering.written_filters). Issue 12, seventh round: ~10 % of
        a list; eighth round: a third of a filtered list (django-filter's form and the ORM)."""
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated or user.pk is None:
            return None
        params = request.query_params
        named = params.keys() - self.WRITTEN_LIST_PARAMS
        filters = None
        if named:
            # A filter's bad value is a 400 before any page is read, as on the ORM's path: a page
            # number that could be refused first (404) goes that way.
            if not named <= self.WRITTEN_FILTERS or not _plain_page(params.get("page")) \
                    or named_filters(self.filterset_class, params) != named:
                return None
            filters = written_filters(self.filterset_class, params, named)
            if filters is None:
                return None
        ordering = None
        for backend in self.filter_backends:
            if issubclass(backend, OrderingFilter):
                ordering = tuple(backend().get_ordering(request, Incident.objects.all(), self) or ())
            elif backend not in (FilterBackend, SearchFilter):
                return None  # a backend this was not written for
        key = ("incidents.api.list", roles.role_names(user), ordering)
        probe = partial(stand_in, user)  # made only if the statement is compiled
        if filters is None:
            return WrittenIds(key, self._list_ids, user, probe)
        return WrittenIds((*key, filters.shape), self._list_ids, user, probe,
                          template=lambda probe: self._written_filtered_ids(probe, filters),
                          values=filters.values, checks=filters.checks)

    def _written_filtered_ids(self, user, filters):
        """_list_ids(user) with the filter set's filtering done by `filters` (its stand-in values)."""
        queryset = self.list_queryset(user)
        for backend in self.filter_backends:
            queryset = filters.apply(queryset) if backend is FilterBackend \
                else backend().filter_queryset(self.request, queryset, self)
        return self.ids_of(queryset)

    def page_rows(self, ids):
        # The page's ids come from the visible, filtered list (TicketViewSet.paginate_queryset),
        # which also orders them: the rows are read by id, as they are (incidents.api.rows).
        # IncidentSerializer writes them without their instances (rows.ListedIncident).
        if self.get_serializer_class() is IncidentSerializer:
            found = rows.listed_by_id(ids)
            if found is not None:
                return found
        return rows.incidents_by_id(ids)

    def get_object(self):
        # A detail by id with nothing to filter by: its row by the statement written once per
        # process, the caller's visibility in Python (the same rule as visible_to's, the same
        # 404); by number, or filtered, the generic path.
        if self.action == "retrieve" and self.request.query_params.keys() <= {"format"}:
            pk = parse_id(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
            if pk:
                incident = rows.incidents_by_id([pk]).get(pk)
                if incident is None or not Incident.objects.sees(self.request.user, incident):
                    raise Http404(f"No {Incident._meta.object_name} matches the given query.")
                self.check_object_permissions(self.request, incident)
                return incident
        return super().get_object()

    def created_prefetches(self):
        # What open_incident's row lacks for its answer, without building the visible queryset
        # (its security filter) only to read these: ~13 % of an API create (issue 12).
        return incident_prefetches()

    def list(self, request, *args, **kwargs):
        # An agent pasting a ticket number wants that incident: one look-up on the number's unique
        # index and its relations, the same page as the generic path gives (one row or none),
        # without the filter set, the capped count and the ids query (issue 12: ≤ 5 ms).
        params = request.query_params
        number = None
        if params.keys() <= self.NUMBER_SEARCH_PARAMS:
            number = ticket_number(Incident, params.get("search") or "")
        if number is None:
            text = (params.get("search") or "").strip()
            if text:
                narrowed = any(value for key, value in params.items() if key not in self.WORD_SEARCH_PARAMS)
                estimate = search_estimate(Incident, text, request.user, narrowed)
                if estimate is not None:
                    self.paginator.paginator_attributes = {"estimated_matches": estimate}
            elif params.keys() <= self.WORD_SEARCH_PARAMS and roles.is_agent(request.user):
                # Nothing but visibility narrows an agent's list: the table's size may stand in
                # for its count (core.paging.CountedPageListPaginator).
                self.paginator.paginator_attributes = {"estimated_rows": search.estimated_rows(Incident)}
            # ListModelMixin.list's page (page_by_ids: paginate_queryset is paginate_ids of
            # ids_of the filtered queryset), its ids by the written statement where it applies.
            ids = self.written_ids(request)
            if ids is None:
                ids = self.ids_of(self.filter_queryset(self.get_queryset()))
            page = self.paginate_ids(ids)
            if page is None:
                return super().list(request, *args, **kwargs)
            data = self.get_serializer(page, many=True).data
            # The page's rows, written: freed now rather than by the garbage collector (the
            # serializer holding them is a cycle, its fields' `parent`), which otherwise
            # traverses their ~600 objects on every list (issue 12).
            page.clear()
            return self.get_paginated_response(data)
        row = rows.incident_by_number(number)
        visible = row is not None and Incident.objects.sees(request.user, row)
        results = [self.get_serializer(row).data] if visible else []
        return Response({"count": len(results), "next": None, "previous": None, "results": results})

    def perform_create_ticket(self, data):
        source = data.pop("channel", None)
        return services.open_incident(**self.actor_kwargs(), source=source, **data)

    def perform_update_ticket(self, instance, data, version):
        data.pop("channel", None)
        return services.update_incident(instance, **self.actor_kwargs(), changes=data, expected_version=version)


_INCIDENT_PK = OpenApiParameter("incident_pk", str, OpenApiParameter.PATH,
                                description="The incident's id or number (INC0001001).")


@extend_schema_view(list=extend_schema(parameters=[_INCIDENT_PK]), create=extend_schema(parameters=[_INCIDENT_PK]))
class IncidentCommentViewSet(TicketCommentViewSet):
    """Comments and work notes of one incident; end users never see or write work notes."""

    serializer_class = CommentSerializer
    ticket_model = Incident
    ticket_url_kwarg = "incident_pk"

    def comment(self, ticket, **kwargs):
        return services.comment(ticket, **kwargs)


_SECURITY_LOG = (
    "Who was told about an information security incident (ISO/IEC 20000-1 8.7.3): `recipient` is kisa, "
    "pipc (개인정보보호위원회), data_subjects, management, customer or other; `notified_at` (now if not given), "
    "`reference` (e.g. the regulator's receipt number), `recipient_detail`, `note`. For the security group "
    "only: to anyone else (its caller included) the log does not exist (404), nor does it for an incident "
    "that is not a security incident. Auditors in the group read it; their writes are refused (403)."
)


@extend_schema_view(list=extend_schema(description=_SECURITY_LOG, parameters=[_INCIDENT_PK]),
                    create=extend_schema(description=_SECURITY_LOG, parameters=[_INCIDENT_PK]))
class SecurityNotificationViewSet(ApiActorMixin, mixins.ListModelMixin, mixins.CreateModelMixin,
                                  viewsets.GenericViewSet):
    serializer_class = SecurityNotificationSerializer
    filter_backends = []

    def get_incident(self):
        if not hasattr(self, "_incident"):
            visible = Incident.objects.visible_to(self.request.user)
            incident = get_object_or_404(visible, **number_or_id(self.kwargs["incident_pk"]))
            if not incident.is_security or not security.can_read_security_fields(self.request.user):
                raise NotFound(_("No information security incident found."))
            self._incident = incident
        return self._incident

    def get_queryset(self):
        return self.get_incident().security_notifications.select_related("notified_by").order_by("notified_at", "id")

    def create(self, request, *args, **kwargs):
        incident = self.get_incident()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notification = security_services.record_notification(incident, **self.actor_kwargs(),
                                                              **serializer.validated_data)
        return Response(self.get_serializer(notification).data, status=status.HTTP_201_CREATED)
