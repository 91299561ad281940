from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts import roles
from core.api.mixins import ApiActorMixin
from core.api.permissions import DeskWritesOnly
from cmdb import graph, services
from cmdb.api.serializers import (
    CIClassSerializer,
    ConfigurationItemSerializer,
    ImpactQuerySerializer,
    ImpactSerializer,
    RelationshipSerializer,
)
from cmdb.filtersets import ConfigurationItemFilterSet, RelationshipFilterSet
from cmdb.models import CIClass, ConfigurationItem, Relationship


class CIClassViewSet(viewsets.ReadOnlyModelViewSet):
    """CI classes and the JSON Schema of their attributes (administrators edit them in the admin)."""

    queryset = CIClass.objects.all()
    serializer_class = CIClassSerializer
    filterset_fields = ["slug"]
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "slug", "id"]


class ConfigurationItemViewSet(ApiActorMixin, viewsets.ModelViewSet):
    serializer_class = ConfigurationItemSerializer
    filterset_class = ConfigurationItemFilterSet
    permission_classes = [DeskWritesOnly]
    search_fields = ["name", "external_id", "location", "vendor", "description"]
    ordering_fields = ["id", "name", "status", "environment", "criticality", "created_at", "updated_at"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return ConfigurationItem.objects.visible_to(self.request.user).select_related(
            *ConfigurationItemSerializer.PREFETCH)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.create_ci(**self.actor_kwargs(), **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        if expected is None:
            # Without the version read, a write could silently overwrite someone else's edit.
            raise ValidationError({"version": [_("Send the version you read.")]})
        serializer.instance, _diff = services.update_ci(
            serializer.instance, **self.actor_kwargs(), changes=data, expected_version=expected)

    def perform_destroy(self, instance):
        if not roles.is_admin(self.request.user):
            raise PermissionDenied(_("Only administrators delete CIs; retire it instead."))
        services.delete_ci(instance, **self.actor_kwargs())

    def destroy(self, request, *args, **kwargs):
        try:
            return super().destroy(request, *args, **kwargs)
        except ProtectedError:
            return Response({"detail": _("This CI is referenced by other records; retire it instead.")},
                            status=status.HTTP_409_CONFLICT)

    @extend_schema(
        parameters=[ImpactQuerySerializer],
        responses=inline_serializer("ImpactResults", {"results": ImpactSerializer(many=True)}),
    )
    @action(detail=True, methods=["get"])
    def impact(self, request, pk=None):
        """CIs downstream (that need this one) or upstream (that it needs), with their distance."""
        ci = self.get_object()
        query = ImpactQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        results = graph.impact_of(
            [ci.pk], params["direction"], params["depth"], types=sorted(params.get("type") or ()),
            queryset=ConfigurationItem.objects.visible_to(request.user),
        )
        return Response({"results": ImpactSerializer(results, many=True).data})


class RelationshipViewSet(ApiActorMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
                          viewsets.ReadOnlyModelViewSet):
    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilterSet
    permission_classes = [DeskWritesOnly]
    ordering_fields = ["id", "created_at", "type"]
    ordering = ["id"]

    def get_queryset(self):
        if not roles.is_agent(self.request.user):
            return Relationship.objects.none()
        return Relationship.objects.all()

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if hasattr(serializer, "fields") and "source" in getattr(serializer, "fields", {}):
            visible = ConfigurationItem.objects.visible_to(self.request.user)
            serializer.fields["source"].queryset = visible
            serializer.fields["target"].queryset = visible
        return serializer

    def perform_create(self, serializer):
        serializer.instance = services.add_relationship(**self.actor_kwargs(), **serializer.validated_data)

    def perform_destroy(self, instance):
        services.remove_relationship(instance, **self.actor_kwargs())
