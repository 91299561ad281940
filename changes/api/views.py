"""API v1 changes: writes go through changes.services."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import roles
from changes import freezes, services
from changes.api.serializers import (
    ApprovalDecisionSerializer,
    ChangeSerializer,
    ChangeTemplateSerializer,
    FreezeWindowSerializer,
    PIRSerializer,
    RiskAssessmentSerializer,
)
from changes.filtersets import ORDERING_FIELDS, ChangeFilterSet
from changes.models import Approval, Change, ChangeTemplate, FreezeWindow
from cmdb.models import ConfigurationItem
from incidents.models import Incident
from core.api.mixins import ApiActorMixin, NumberOrIdLookupMixin


class IsDeskStaff(permissions.BasePermission):
    def has_permission(self, request, view):
        return roles.is_agent(request.user)


class IsAdminOrReadOnlyDesk(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return roles.is_agent(request.user)
        return roles.is_admin(request.user)


def change_queryset(user):
    """Everything a change's representation needs, in a constant number of queries."""
    return (
        Change.objects.visible_to(user)
        .select_related("requested_by")
        .prefetch_related(
            Prefetch("affected_cis", queryset=ConfigurationItem.objects.only("id")),
            Prefetch("caused_incidents", queryset=Incident.objects.only("id")),
            Prefetch("approvals", queryset=Approval.objects.select_related("approver").order_by(
                "round", "stage_order", "created_at", "id")),
        )
    )


class ChangeViewSet(NumberOrIdLookupMixin, ApiActorMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                    mixins.UpdateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Requests for change. Detail by id or number; PATCH carries `version`; `state` changes are
    checked against the life cycle (400 naming the allowed targets)."""

    serializer_class = ChangeSerializer
    filterset_class = ChangeFilterSet
    ordering_fields = ORDERING_FIELDS
    ordering = ["-created_at"]
    search_fields = ["number", "title"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return change_queryset(self.request.user)

    def _fresh(self, pk):
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        affected = data.pop("affected_cis", [])
        caused = data.pop("caused_incidents", [])
        change = services.create_change(**self.actor_kwargs(), affected_cis=affected, caused_incidents=caused,
                                        **data)
        return Response(self._fresh(change.pk), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        affected = data.pop("affected_cis", None)
        outcome = data.pop("outcome", None)
        caused = data.pop("caused_incidents", None)
        services.update_change(instance, **self.actor_kwargs(), changes=data, expected_version=version,
                               affected_cis=affected, caused_incidents=caused, outcome=outcome)
        return Response(self._fresh(instance.pk))

    @extend_schema(request=ApprovalDecisionSerializer, responses=ChangeSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        """Approve or reject the change's current approval stage, with a comment."""
        change = self.get_object()
        serializer = ApprovalDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.decide_approval(change, **self.actor_kwargs(), **serializer.validated_data)
        return Response(self._fresh(change.pk))

    @extend_schema(request=RiskAssessmentSerializer, responses=ChangeSerializer)
    @action(detail=True, methods=["post"], url_path="risk-assessment")
    def risk_assessment(self, request, *args, **kwargs):
        """Answer the risk questionnaire; the CMDB adds criticality and downstream impact."""
        change = self.get_object()
        serializer = RiskAssessmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.assess_risk(change, **self.actor_kwargs(), answers=serializer.validated_data["answers"],
                             expected_version=serializer.validated_data.get("version"))
        return Response(self._fresh(change.pk))

    @extend_schema(request=PIRSerializer, responses=ChangeSerializer)
    @action(detail=True, methods=["post"])
    def pir(self, request, *args, **kwargs):
        """Record the post-implementation review (required to close failed and emergency changes)."""
        change = self.get_object()
        serializer = PIRSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_pir(change, **self.actor_kwargs(), **serializer.validated_data)
        return Response(self._fresh(change.pk))

    @extend_schema(request=None, responses=ChangeSerializer)
    @action(detail=True, methods=["post"], url_path="check-conflicts")
    def check_conflicts(self, request, *args, **kwargs):
        """Re-compute the change's conflicts now (they are stored when it is scheduled)."""
        change = self.get_object()
        services.store_conflicts(change)
        return Response(self._fresh(change.pk))


class ChangeTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """Pre-approved standard change templates (kept by administrators in the admin)."""

    queryset = ChangeTemplate.objects.filter(active=True)
    serializer_class = ChangeTemplateSerializer
    permission_classes = [permissions.IsAuthenticated, IsDeskStaff]
    filterset_class = None
    search_fields = ["name"]


class FreezeWindowViewSet(ApiActorMixin, viewsets.ModelViewSet):
    """Change freezes: desk staff read them, administrators define them."""

    queryset = FreezeWindow.objects.prefetch_related(Prefetch("services", queryset=ConfigurationItem.objects.only("id")))
    serializer_class = FreezeWindowSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdminOrReadOnlyDesk]
    filterset_class = None
    search_fields = ["name"]

    def perform_create(self, serializer):
        serializer.instance = freezes.create_freeze(**self.actor_kwargs(), **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = freezes.update_freeze(serializer.instance, **self.actor_kwargs(),
                                                    changes=serializer.validated_data)

    def perform_destroy(self, instance):
        freezes.delete_freeze(instance, **self.actor_kwargs())
