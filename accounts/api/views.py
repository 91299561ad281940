from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, viewsets

from accounts import services
import django_filters
from accounts.api.serializers import AccessLogSerializer, MeSerializer, TeamSerializer
from accounts.models import AccessLog, Team
from core.api.mixins import AnyKeyLookupMixin
from core.api.permissions import DeskOnlyUnseen, ManagersOnlyUnseen
from core.api.schema import UNSEEN_404
from core.choices import Channel


class MeView(generics.RetrieveUpdateAPIView):
    """The caller's own account; PATCH changes display name, e-mail and language only."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        serializer.instance = services.update_profile(self.request.user, actor=self.request.user, channel=Channel.API,
                                                      changes=serializer.validated_data)


_TEAMS_ARE_THE_DESKS = ("Desk staff only: the teams are the staff directory (managers, members and "
                        "their names). To end users this resource does not exist (404, list and detail); "
                        "anonymous callers get 401.")


@extend_schema_view(list=extend_schema(description=_TEAMS_ARE_THE_DESKS),
                    retrieve=extend_schema(description=_TEAMS_ARE_THE_DESKS))
class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    """Assignment groups with their manager and members (one query each, whatever the page size)."""

    permission_classes = [DeskOnlyUnseen]
    queryset = Team.objects.select_related("manager").prefetch_related("members")
    serializer_class = TeamSerializer
    # ?name=, ?manager=<user id>, ?members=<user id>; a malformed id answers 400.
    filterset_fields = ["name", "manager", "members"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "id"]


class AccessLogFilterSet(django_filters.FilterSet):
    at_after = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    at_before = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AccessLog
        fields = ["user", "method", "status", "object_type", "object_id"]


_ACCESS_LOG = ("Every request an auditor made (issue 18): user, time, method, path and query, the record the "
               "URL names (`object_type` as app.model and `object_id`, when it names one) and the status "
               "answered. Read-only; managers and administrators only, to anyone else signed in it does not "
               "exist (404). Filters: ?user=<id>, ?method=, ?status=, ?object_type=, ?object_id=, "
               "?at_after= / ?at_before= (ISO date-times).")


@extend_schema_view(list=extend_schema(description=_ACCESS_LOG, extensions={UNSEEN_404: True}),
                    retrieve=extend_schema(description=_ACCESS_LOG))
class AccessLogViewSet(AnyKeyLookupMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [ManagersOnlyUnseen]
    queryset = AccessLog.objects.select_related("user")
    serializer_class = AccessLogSerializer
    filterset_class = AccessLogFilterSet
    ordering_fields = ["at", "id"]
