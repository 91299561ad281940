from rest_framework import generics, viewsets

from accounts.api.serializers import MeSerializer, TeamSerializer
from accounts.models import Team


class MeView(generics.RetrieveUpdateAPIView):
    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Team.objects.select_related("manager").prefetch_related("members")
    serializer_class = TeamSerializer
    filterset_fields = ["name"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "id"]
