"""API v1: clause readiness (`iso/clauses/`) and evidence packs (`iso/evidence-packs/`).

Readiness: desk staff and auditors (end users 403). Evidence packs: managers, administrators and
auditors read and download; only managers and administrators request one (POST); an agent or an
auditor who writes gets 403, an end user 403. A pack that is not ready has no download (409)."""

from django.http import FileResponse
from django.utils.translation import get_language, gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import clauses
from core.api.mixins import AnyKeyLookupMixin, ApiActorMixin
from core.exceptions import DomainError
from iso import facts, permissions as iso_permissions, services
from iso.api.serializers import (
    ClauseDetailSerializer,
    ClauseSerializer,
    EvidencePackSerializer,
    PackRequestSerializer,
    clause_data,
)
from iso.models import EvidencePack


class ReadinessReaders(permissions.BasePermission):
    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return iso_permissions.can_view_readiness(request.user)


class PackReaders(permissions.BasePermission):
    message = "Only managers and auditors see evidence packs; only managers request them."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return iso_permissions.can_view_packs(request.user)
        return iso_permissions.can_request_pack(request.user)


class ClauseViewSet(AnyKeyLookupMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """ISO/IEC 20000-1 clauses 4–10 with their readiness light (red, amber, green) and the reasons."""

    permission_classes = [ReadinessReaders]
    serializer_class = ClauseSerializer
    filter_backends = []  # a fixed catalogue of 58 clauses in catalogue order, paginated
    lookup_field = "id"

    def get_queryset(self):
        results = facts.readiness_now()
        return [clause_data(results[c.id]) for c in clauses.CLAUSES]

    @extend_schema(responses=ClauseDetailSerializer)
    def retrieve(self, request, id=None):
        clause = clauses.get(id)
        if clause is None:
            raise exceptions.NotFound()
        return Response(clause_data(facts.readiness_now()[clause.id], detail=True))


class EvidencePackViewSet(AnyKeyLookupMixin, ApiActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """Evidence packs: a ZIP per request (index in HTML and PDF, documents, KPI results and a
    reproducible sample of records with their audit trails), built by a worker; poll `state` and
    `progress`, then download."""

    permission_classes = [PackReaders]
    serializer_class = EvidencePackSerializer
    filterset_fields = ["state"]
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        return EvidencePack.objects.select_related("requested_by")

    @extend_schema(request=PackRequestSerializer, responses={201: EvidencePackSerializer},
                   description="Queue a pack: 400 names the field at fault (period ending before it starts, "
                               "sample size outside 1–1000, unknown clause); 403 for anyone but managers.")
    def create(self, request):
        serializer = PackRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            pack = services.request_pack(**self.actor_kwargs(), clauses=data.get("clauses") or [],
                                         period_start=data["period_start"], period_end=data["period_end"],
                                         sample_size=data["sample_size"], seed=data.get("seed"),
                                         language=data.get("language") or (get_language() or "en")[:2])
        except DomainError as refusal:
            raise exceptions.ValidationError(refusal.as_dict())
        return Response(EvidencePackSerializer(pack, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(filters=False, responses={
        (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="The evidence pack (ZIP)."),
        409: OpenApiResponse(description="The pack is not ready (queued, building or failed): no download.")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        pack = self.get_object()
        if not pack.downloadable:
            return Response({"detail": _("The evidence pack is not ready (%(state)s): nothing to download.")
                             % {"state": pack.get_state_display()}}, status=status.HTTP_409_CONFLICT)
        return FileResponse(pack.file.open("rb"), as_attachment=True, filename=f"evidence-pack-{pack.pk}.zip",
                            content_type="application/zip")
