from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, viewsets

from accounts import services
from accounts.api.serializers import MeSerializer, TeamSerializer
from accounts.models import Team
from core.api.permissions import DeskOnlyUnseen
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
