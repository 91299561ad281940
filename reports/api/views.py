"""API v1 service reports: list, detail with the frozen snapshot, downloads (PDF, XLSX in a
language), generate, approve, distribute. Managers and administrators only (others: 404)."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.mixins import AnyKeyLookupMixin, ApiActorMixin
from core.api.schema import UNSEEN_404
from core.api.permissions import ManagersOnlyUnseen
from reports import exports, rules, services
from reports.api.serializers import (
    DistributeSerializer,
    GenerateSerializer,
    ServiceReportDetailSerializer,
    ServiceReportSerializer,
    ReportVersionSerializer,
)
from reports.choices import FileFormat
from reports.models import ServiceReport

LANG = OpenApiParameter("lang", str, enum=[code for code, _n in settings.LANGUAGES],
                        description="Language of the file's labels (default: the request's language).")


class ServiceReportViewSet(AnyKeyLookupMixin, ApiActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    permission_classes = [ManagersOnlyUnseen]
    filterset_fields = ["kind", "state", "organisation", "service", "period_start"]
    ordering_fields = ["period_start", "generated_at"]

    def get_queryset(self):
        qs = ServiceReport.objects.visible_to(self.request.user).select_related("organisation")
        if self.action != "retrieve":
            qs = qs.defer("snapshot")
        return qs

    def get_serializer_class(self):
        return ServiceReportDetailSerializer if self.action == "retrieve" else ServiceReportSerializer

    def _answer(self, report, code=status.HTTP_200_OK):
        return Response(ServiceReportDetailSerializer(report, context=self.get_serializer_context()).data,
                        status=code)

    @extend_schema(request=GenerateSerializer, responses={201: ServiceReportDetailSerializer},
                   extensions={UNSEEN_404: True},
                   description="Generate (or regenerate a draft of) the report of a month that has ended: "
                               "400 naming `month` otherwise; 409 when that report is approved or distributed.")
    def create(self, request):
        serializer = GenerateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.generate(organisation=data["organisation"], service=data.get("service"),
                                   month=rules.parse_month(data["month"]), **self.actor_kwargs())
        return self._answer(report, status.HTTP_201_CREATED)

    @extend_schema(request=ReportVersionSerializer, responses=ServiceReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        serializer = ReportVersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.approve(self.get_object(), version=serializer.validated_data.get("version"),
                                  **self.actor_kwargs())
        return self._answer(report)

    @extend_schema(request=DistributeSerializer, responses=ServiceReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def distribute(self, request, pk=None):
        serializer = DistributeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.distribute(self.get_object(), recipients=serializer.validated_data["recipients"],
                                     version=serializer.validated_data.get("version"), **self.actor_kwargs())
        return self._answer(report)

    def _download(self, request, fmt):
        report = self.get_object()
        language = request.query_params.get("lang") or get_language()
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        content, content_type, name = exports.render(report, fmt, language)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(parameters=[LANG], filters=False,
                   responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description=(
                       "The report as PDF, drawn from the frozen snapshot (Korean in NanumGothic)."))})
    @action(detail=True, methods=["get"], url_path="download/pdf", url_name="download-pdf")
    def download_pdf(self, request, pk=None):
        return self._download(request, FileFormat.PDF)

    @extend_schema(parameters=[LANG], filters=False, responses={
        (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
            OpenApiResponse(OpenApiTypes.BINARY, description="The report as an XLSX workbook.")})
    @action(detail=True, methods=["get"], url_path="download/xlsx", url_name="download-xlsx")
    def download_xlsx(self, request, pk=None):
        return self._download(request, FileFormat.XLSX)
