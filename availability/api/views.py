from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from availability import rules, selectors, services
from availability.api.serializers import (
    OutageSerializer,
    ReportAnswerSerializer,
    ReportQuerySerializer,
    ServiceSettingsSerializer,
)
from availability.filtersets import OutageFilterSet
from availability.models import Outage, ServiceAvailability
from cmdb.models import ConfigurationItem
from core.api.mixins import AnyKeyLookupMixin, ApiActorMixin
from core.api.permissions import DeskOnly, DeskReadManagerWrite
from core.web import parse_id


class OutageViewSet(AnyKeyLookupMixin, ApiActorMixin, viewsets.ModelViewSet):
    """Outages per service (desk staff). An outage ending before it starts, or overlapping another
    outage of the same service, is refused with 400 and nothing is saved."""

    serializer_class = OutageSerializer
    filterset_class = OutageFilterSet
    permission_classes = [DeskOnly]
    ordering_fields = ["start", "end", "id"]
    ordering = ["-start", "-id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Outage.objects.select_related("service", "incident")

    def perform_create(self, serializer):
        serializer.instance = services.record_outage(**self.actor_kwargs(), **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance, _diff = services.update_outage(serializer.instance, **self.actor_kwargs(),
                                                           changes=dict(serializer.validated_data))

    def perform_destroy(self, instance):
        services.delete_outage(instance, **self.actor_kwargs())


class ReportView(APIView):
    """Availability of a month (Asia/Seoul) per service over its service hours: service and outage
    minutes, availability %, MTBF, MTRS and the target status; every business service without
    `service`."""

    permission_classes = [DeskOnly]

    @extend_schema(parameters=[ReportQuerySerializer],
                   responses=ReportAnswerSerializer)
    def get(self, request):
        query = ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            first = rules.parse_month(query.validated_data["month"])
        except rules.BadMonth:
            raise ValidationError({"month": [_("Give the month as YYYY-MM.")]})
        service_id = query.validated_data.get("service")
        services_qs = ConfigurationItem.objects.business_services()
        if service_id is not None:
            services_qs = services_qs.filter(pk=service_id)
            if not services_qs.exists():
                raise ValidationError({"service": [_("No business service has this id.")]})
        names = dict(services_qs.values_list("pk", "name"))
        _start, _end, figures = selectors.month_report(first, list(names))
        results = [{"service": pk, "service_name": names[pk], "month": first.strftime("%Y-%m"), **values}
                   for pk, values in sorted(figures.items(), key=lambda item: names[item[0]])]
        if service_id is not None:
            return Response(results[0] | {"results": results})
        return Response({"results": results})



_SERVICE = OpenApiParameter("service", int, OpenApiParameter.PATH, description="The business service's CI id.")


class ServiceSettingsView(ApiActorMixin, APIView):
    """One business service's availability settings: its service hours (a business calendar;
    null is 24×7), how planned maintenance counts, the availability target, the warning line and
    the MTRS target. The desk reads; managers and administrators change them (PATCH: the fields
    sent; a warning line below the target is a 400). An id that is no business service is a 404."""

    permission_classes = [DeskReadManagerWrite]

    def _settings(self, service):
        # Any path segment reaches the view, so that "0.5" or an id past bigint is the API's JSON
        # 404, not the site's HTML one.
        pk = parse_id(service)
        if pk is None:
            raise NotFound()
        found = get_object_or_404(
            ConfigurationItem.objects.business_services().visible_to(self.request.user), pk=pk)
        return (ServiceAvailability.objects.select_related("service").filter(service=found).first()
                or ServiceAvailability(service=found))

    @extend_schema(parameters=[_SERVICE], responses=ServiceSettingsSerializer)
    def get(self, request, service):
        return Response(ServiceSettingsSerializer(self._settings(service)).data)

    @extend_schema(parameters=[_SERVICE], request=ServiceSettingsSerializer, responses=ServiceSettingsSerializer)
    def patch(self, request, service):
        current = self._settings(service)
        serializer = ServiceSettingsSerializer(current, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        saved = services.save_settings(current.service, **self.actor_kwargs(), **serializer.validated_data)
        return Response(ServiceSettingsSerializer(saved).data)
