"""API v1 releases: writes go through releases.services."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from changes.models import Change
from core.api.permissions import DeskCreates
from core.api.viewsets import TicketViewSet
from releases import services
from releases.api.serializers import DeploymentStepSerializer, ReleaseSerializer
from releases.filtersets import ORDERING_FIELDS, ReleaseFilterSet
from releases.models import Deployment, Release


def release_queryset(user):
    return Release.objects.visible_to(user).prefetch_related(
        Prefetch("changes", queryset=Change.objects.only("id", "number", "state")),
        Prefetch("deployments", queryset=Deployment.objects.order_by("created_at", "id")),
    )


class ReleaseViewSet(TicketViewSet):
    """Releases with their changes, deployments and production readiness."""

    permission_classes = [DeskCreates]
    serializer_class = ReleaseSerializer
    filterset_class = ReleaseFilterSet
    ordering_fields = ORDERING_FIELDS
    ordering = ["-created_at"]
    search_fields = Release.SEARCH_FIELDS

    def get_queryset(self):
        return release_queryset(self.request.user)

    def perform_create_ticket(self, data):
        data.pop("reason", None)
        return services.create_release(**self.actor_kwargs(), changes=data.pop("changes", []), **data)

    def perform_update_ticket(self, instance, data, version):
        reason = data.pop("reason", "")
        change_set = data.pop("changes", None)
        return services.update_release(instance, **self.actor_kwargs(), changes=data, expected_version=version,
                                       change_set=change_set, reason=reason)

    @extend_schema(request=DeploymentStepSerializer, responses=ReleaseSerializer)
    @action(detail=True, methods=["post"])
    def deploy(self, request, *args, **kwargs):
        """Record a deployment step in an environment (production needs the readiness checklist)."""
        release = self.get_object()
        serializer = DeploymentStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.set_deployment_state(release, **self.actor_kwargs(), environment=data["environment"],
                                      target=data["state"], notes=data["notes"])
        return Response(self.fresh(release.pk))
