from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import VisibleRelationsSerializer

from capacity import rules
from capacity.models import Metric


class SampleSerializer(serializers.Serializer):
    """One reading (POST metrics/ takes one or a list). The metric is created on its first sample."""

    ci = serializers.CharField(help_text=_("The configuration item's id or name."))
    metric = serializers.SlugField(max_length=80, help_text=_("e.g. cpu_percent, memory_percent, disk_used_gb, licences_used"))
    value = serializers.FloatField()
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                 help_text=_("Used when the metric is created; \"%\" sets its capacity to 100."))
    at = serializers.DateTimeField(required=False, help_text=_("When measured; now if left out."))


class SamplesAcceptedSerializer(serializers.Serializer):
    accepted = serializers.IntegerField(help_text=_("Samples stored."))
    metrics = serializers.ListField(child=serializers.IntegerField(), help_text=_("Ids of the metrics they belong to."))


class ForecastSerializer(serializers.Serializer):
    enough_data = serializers.BooleanField(source="enough", help_text=_("False under 7 daily points: no forecast."))
    points = serializers.IntegerField(help_text=_("Daily maxima the trend was fitted on (last 90 days)."))
    slope_per_day = serializers.FloatField(allow_null=True)
    days_to_full = serializers.IntegerField(allow_null=True, help_text=_("Null: no capacity set, or not growing."))
    full_on = serializers.DateField(allow_null=True)


class MetricSerializer(VisibleRelationsSerializer):
    ci_name = serializers.CharField(source="ci.name", read_only=True)
    used_percent = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Metric
        fields = ["id", "ci", "ci_name", "key", "unit", "maximum", "warning_threshold", "critical_threshold", "level",
                  "level_since", "last_value", "last_at", "used_percent", "created_at"]
        read_only_fields = ["id", "ci", "key", "level", "level_since", "last_value", "last_at", "created_at"]

    def validate(self, attrs):
        instance = self.instance
        warning = attrs.get("warning_threshold", getattr(instance, "warning_threshold", None))
        critical = attrs.get("critical_threshold", getattr(instance, "critical_threshold", None))
        errors = rules.check_thresholds(warning, critical)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class DayPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    avg = serializers.FloatField()
    max = serializers.FloatField()
    count = serializers.IntegerField()


class MetricDetailSerializer(MetricSerializer):
    forecast = serializers.SerializerMethodField()

    class Meta(MetricSerializer.Meta):
        fields = [*MetricSerializer.Meta.fields, "forecast"]

    def get_forecast(self, metric) -> ForecastSerializer:
        return ForecastSerializer(self.context["forecast"]).data


class DailySerializer(serializers.Serializer):
    metric = serializers.IntegerField()
    days = DayPointSerializer(many=True)
    forecast = ForecastSerializer()
