from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import VisiblePrimaryKeyRelatedField, VisibleSlugRelatedField
from core.api.serializers import VisibleRelationsSerializer

from availability.choices import TargetStatus
from availability.models import Outage, ServiceAvailability
from cmdb.models import ConfigurationItem
from incidents.models import Incident
from sla.models import BusinessCalendar


class OutageSerializer(VisibleRelationsSerializer):
    service = VisiblePrimaryKeyRelatedField(queryset=ConfigurationItem.objects.business_services())
    incident = VisibleSlugRelatedField(slug_field="number", queryset=Incident.objects.all(), required=False,
                                            allow_null=True, help_text=_("The incident's number (INC…)."))
    service_name = serializers.CharField(source="service.name", read_only=True)
    duration_minutes = serializers.FloatField(read_only=True)

    class Meta:
        model = Outage
        fields = ["id", "service", "service_name", "start", "end", "planned", "incident", "source", "description",
                  "duration_minutes", "created_at", "updated_at"]
        read_only_fields = ["source", "created_at", "updated_at"]


class ReportQuerySerializer(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text=_("YYYY-MM (a month in Asia/Seoul)."))
    service = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class ReportSerializer(serializers.Serializer):
    service = serializers.IntegerField()
    service_name = serializers.CharField()
    month = serializers.CharField()
    service_minutes = serializers.FloatField()
    outage_minutes = serializers.FloatField()
    availability_percent = serializers.FloatField(allow_null=True)
    planned_minutes = serializers.FloatField()
    failures = serializers.IntegerField()
    mtbf_minutes = serializers.FloatField(allow_null=True)
    mtrs_minutes = serializers.FloatField(allow_null=True)
    target_percent = serializers.FloatField()
    warning_percent = serializers.FloatField()
    mtrs_target_minutes = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=TargetStatus.choices, allow_null=True)


class ReportAnswerSerializer(serializers.Serializer):
    """With `service`: that service's figures at the top level (and as the one row of `results`);
    without: `results` only, one row per business service."""

    results = ReportSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        for name, field in ReportSerializer().get_fields().items():
            field.required = False
            fields[name] = field
        return fields


class ServiceSettingsSerializer(serializers.ModelSerializer):
    """How one business service's availability is measured. A service never set answers the
    defaults (24×7, planned maintenance excluded, target 99.5 %, warning below 99.7 %)."""

    service = serializers.IntegerField(source="service_id", read_only=True)
    service_name = serializers.CharField(source="service.name", read_only=True)
    calendar = serializers.PrimaryKeyRelatedField(
        queryset=BusinessCalendar.objects.all(), allow_null=True, required=False,
        help_text=_("The business calendar of the service hours; null: measured 24×7."))
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text=_(
        "When the settings were last saved; null while the service has the defaults."))

    class Meta:
        model = ServiceAvailability
        fields = ["service", "service_name", "calendar", "planned_policy", "target_percent", "warning_percent",
                  "mtrs_target_minutes", "updated_at"]
        read_only_fields = ["updated_at"]
