"""API of capacity: samples in (one or many), metrics with their thresholds, daily rollups and forecasts."""

import django_filters
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from capacity import selectors, services
from capacity.api import serializers as s
from capacity.choices import Level
from capacity.models import Metric
from core.api.mixins import AnyKeyLookupMixin, ApiActorMixin
from core.api.permissions import DeskOnly


class MetricFilterSet(django_filters.FilterSet):
    ci = django_filters.NumberFilter(field_name="ci_id")
    key = django_filters.CharFilter()
    level = django_filters.ChoiceFilter(choices=Level.choices)

    class Meta:
        model = Metric
        fields = ["ci", "key", "level"]


class MetricViewSet(AnyKeyLookupMixin, ApiActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """CI utilisation metrics (CPU, memory, disk, licences, anything numeric). POST samples here:
    one object or a list of up to 5000 `{ci, metric, value, unit, at}`; a metric is created on its
    first sample. A sample with a value that is not a number, an unknown CI or a bad time refuses
    the whole request (400 naming the item and field) and nothing of it is stored. Crossing a
    metric's warning or critical threshold raises a monitoring event (alerts and incidents follow
    the incident rules); the level falls back only 5 % below the threshold."""

    queryset = Metric.objects.select_related("ci").order_by("ci__name", "key", "id")
    serializer_class = s.MetricSerializer
    filterset_class = MetricFilterSet
    permission_classes = [DeskOnly]
    search_fields = ["key", "ci__name"]
    ordering_fields = ["id", "key", "last_at", "last_value"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=s.SampleSerializer(many=True), responses={201: s.SamplesAcceptedSerializer},
                   examples=[OpenApiExample("one", request_only=True,
                                            value={"ci": "db-01", "metric": "disk_used_percent", "value": 71.5,
                                                   "unit": "%", "at": "2026-12-03T09:00:00+09:00"})])
    def create(self, request):
        data = request.data
        single = isinstance(data, dict)
        items = [dict(data)] if single else data
        samples = services.record_samples(items, **self.actor_kwargs(), single=single)
        return Response({"accepted": len(samples), "metrics": sorted({sample.metric_id for sample in samples})},
                        status=status.HTTP_201_CREATED)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.MetricDetailSerializer
        return super().get_serializer_class()

    def retrieve(self, request, *args, **kwargs):
        metric = self.get_object()
        points = selectors.daily([metric.pk], days=selectors.FORECAST_DAYS).get(metric.pk, [])
        serializer = s.MetricDetailSerializer(metric, context={"forecast": selectors.forecast_for(metric, points)})
        return Response(serializer.data)

    @extend_schema(request=s.MetricSerializer, responses={200: s.MetricSerializer})
    def partial_update(self, request, *args, **kwargs):
        metric = self.get_object()
        serializer = s.MetricSerializer(metric, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = services.update_metric(metric, **self.actor_kwargs(), changes=serializer.validated_data)
        return Response(s.MetricSerializer(updated).data)

    @extend_schema(responses={200: s.DailySerializer})
    @action(detail=True, methods=["get"])
    def daily(self, request, pk=None):
        """A year of daily averages and maxima (days without samples left out) and the forecast
        from the last 90 days' maxima."""
        metric = self.get_object()
        points = selectors.daily([metric.pk]).get(metric.pk, [])
        forecast = selectors.forecast_for(metric, points)
        return Response(s.DailySerializer({"metric": metric.pk, "days": points, "forecast": forecast}).data)
