"""API v1 releases: writes go through releases.services."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from changes.models import Change
from core.api.mixins import ApiActorMixin, NumberOrIdLookupMixin
from releases import services
from releases.api.serializers import DeploymentStepSerializer, ReleaseSerializer
from releases.filtersets import ORDERING_FIELDS, ReleaseFilterSet
from releases.models import Deployment, Release


def release_queryset(user):
    return Release.objects.visible_to(user).prefetch_related(
        Prefetch("changes", queryset=Change.objects.only("id", "number", "state")),
        Prefetch("deployments", queryset=Deployment.objects.order_by("created_at", "id")),
    )


class ReleaseViewSet(NumberOrIdLookupMixin, ApiActorMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                     mixins.UpdateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Releases with their changes, deployments and production readiness."""

    serializer_class = ReleaseSerializer
    filterset_class = ReleaseFilterSet
    ordering_fields = ORDERING_FIELDS
    ordering = ["-created_at"]
    search_fields = ["number", "title", "version_label"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return release_queryset(self.request.user)

    def _fresh(self, pk):
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        for name in ("version", "reason"):
            data.pop(name, None)
        release = services.create_release(**self.actor_kwargs(), changes=data.pop("changes", []), **data)
        return Response(self._fresh(release.pk), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        reason = data.pop("reason", "")
        change_set = data.pop("changes", None)
        services.update_release(instance, **self.actor_kwargs(), changes=data, expected_version=version,
                                change_set=change_set, reason=reason)
        return Response(self._fresh(instance.pk))

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
        return Response(self._fresh(release.pk))
