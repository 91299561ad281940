"""API v1 changes: writes go through changes.services."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

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
from core.api.mixins import ApiActorMixin
from core.api.permissions import DeskCreates, DeskOnly, DeskReadAdminWrite
from core.api.viewsets import TicketViewSet
from incidents.models import Incident


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


class ChangeViewSet(TicketViewSet):
    """Requests for change. Detail by id or number; PATCH carries `version`; `state` changes are
    checked against the life cycle (400 naming the allowed targets)."""

    permission_classes = [DeskCreates]
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilterSet
    ordering_fields = ORDERING_FIELDS
    ordering = ["-created_at"]
    search_fields = Change.SEARCH_FIELDS

    def get_queryset(self):
        return change_queryset(self.request.user)

    def perform_create_ticket(self, data):
        affected = data.pop("affected_cis", [])
        caused = data.pop("caused_incidents", [])
        return services.create_change(**self.actor_kwargs(), affected_cis=affected, caused_incidents=caused,
                                      **data)

    def perform_update_ticket(self, instance, data, version):
        affected = data.pop("affected_cis", None)
        outcome = data.pop("outcome", None)
        caused = data.pop("caused_incidents", None)
        return services.update_change(instance, **self.actor_kwargs(), changes=data, expected_version=version,
                                      affected_cis=affected, caused_incidents=caused, outcome=outcome)

    @extend_schema(request=ApprovalDecisionSerializer, responses=ChangeSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        """Approve or reject the change's current approval stage, with a comment.

        One stage per person per change in each approval round (unless the policy lets approvers
        repeat): a second decision by the same person, on this stage or a later one, answers 409."""
        change = self.get_object()
        serializer = ApprovalDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.decide_approval(change, **self.actor_kwargs(), **serializer.validated_data)
        return Response(self.fresh(change.pk))

    @extend_schema(request=RiskAssessmentSerializer, responses=ChangeSerializer)
    @action(detail=True, methods=["post"], url_path="risk-assessment")
    def risk_assessment(self, request, *args, **kwargs):
        """Answer the risk questionnaire; the CMDB adds criticality and downstream impact."""
        change = self.get_object()
        serializer = RiskAssessmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.assess_risk(change, **self.actor_kwargs(), answers=serializer.validated_data["answers"],
                             expected_version=serializer.validated_data.get("version"))
        return Response(self.fresh(change.pk))

    @extend_schema(request=PIRSerializer, responses=ChangeSerializer)
    @action(detail=True, methods=["post"])
    def pir(self, request, *args, **kwargs):
        """Record the post-implementation review (required to close failed and emergency changes)."""
        change = self.get_object()
        serializer = PIRSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_pir(change, **self.actor_kwargs(), **serializer.validated_data)
        return Response(self.fresh(change.pk))

    @extend_schema(request=None, responses=ChangeSerializer)
    @action(detail=True, methods=["post"], url_path="check-conflicts")
    def check_conflicts(self, request, *args, **kwargs):
        """Re-compute the change's conflicts now and store them (every read shows them as of now;
        the stored ones are what scheduling, or this, last found)."""
        change = self.get_object()
        services.store_conflicts(change)
        return Response(self.fresh(change.pk))


class ChangeTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """Pre-approved standard change templates (kept by administrators in the admin)."""

    queryset = ChangeTemplate.objects.filter(active=True)
    serializer_class = ChangeTemplateSerializer
    permission_classes = [DeskOnly]
    filterset_class = None
    search_fields = ["name"]


class FreezeWindowViewSet(ApiActorMixin, viewsets.ModelViewSet):
    """Change freezes: desk staff read them, administrators define them."""

    queryset = FreezeWindow.objects.prefetch_related(Prefetch("services", queryset=ConfigurationItem.objects.only("id")))
    serializer_class = FreezeWindowSerializer
    permission_classes = [DeskReadAdminWrite]
    filterset_class = None
    search_fields = ["name"]

    def perform_create(self, serializer):
        serializer.instance = freezes.create_freeze(**self.actor_kwargs(), **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = freezes.update_freeze(serializer.instance, **self.actor_kwargs(),
                                                    changes=serializer.validated_data)

    def perform_destroy(self, instance):
        freezes.delete_freeze(instance, **self.actor_kwargs())
