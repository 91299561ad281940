from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import VisiblePrimaryKeyRelatedField
from core.api.serializers import VisibleRelationsSerializer

from cmdb.models import ConfigurationItem
from publicsla.models import Contract, Indicator, IndicatorKind


class IndicatorSerializer(VisibleRelationsSerializer):
    kind = serializers.ChoiceField(choices=IndicatorKind.choices, required=False, default="manual")
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=1000)
    target = serializers.DecimalField(max_digits=9, decimal_places=3, min_value=-999999, max_value=999999)
    minimum = serializers.DecimalField(max_digits=9, decimal_places=3, min_value=-999999, max_value=999999)

    class Meta:
        model = Indicator
        fields = ["code", "name", "kind", "required", "weight", "target", "minimum", "formula"]


class PublicSlaContractSerializer(VisibleRelationsSerializer):
    system_grade = serializers.IntegerField(min_value=1, max_value=4, help_text=_("Information system grade, 1..4."))
    monthly_amount = serializers.DecimalField(max_digits=14, decimal_places=0, min_value=0)
    services = VisiblePrimaryKeyRelatedField(queryset=ConfigurationItem.objects.business_services(), many=True,
                                                  required=False)
    indicators = IndicatorSerializer(many=True, required=False,
                                     help_text=_("The indicator table; the grade's default table when left out."))
    penalty_bands = serializers.ListField(
        child=serializers.ListField(child=serializers.DecimalField(max_digits=6, decimal_places=2), min_length=2,
                                    max_length=2),
        required=False, help_text=_("[lowest score, penalty %] pairs; penalties at most 20 %."))

    class Meta:
        model = Contract
        fields = ["id", "name", "system_grade", "monthly_amount", "services", "indicators", "penalty_bands",
                  "time_zone", "active", "created_at", "updated_at"]
        read_only_fields = ["time_zone", "created_at", "updated_at"]


class EvaluationQuerySerializer(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text=_("YYYY-MM (a month in the contract's zone)."))


class RestoreDelaySerializer(serializers.Serializer):
    incident = serializers.CharField(help_text=_("The incident's number; empty for an outage without one."))
    outage = serializers.IntegerField()
    service = serializers.IntegerField()
    start = serializers.DateTimeField()
    restore_minutes = serializers.IntegerField()
    minutes_over = serializers.IntegerField()


class IndicatorResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    target = serializers.DecimalField(max_digits=9, decimal_places=3)
    minimum = serializers.DecimalField(max_digits=9, decimal_places=3)
    value = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    below_minimum = serializers.BooleanField()


class EvaluationSerializer(serializers.Serializer):
    contract = serializers.IntegerField()
    month = serializers.CharField()
    system_grade = serializers.IntegerField()
    service_minutes = serializers.FloatField()
    outage_minutes = serializers.FloatField()
    availability_percent = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    availability_minimum = serializers.DecimalField(max_digits=9, decimal_places=3)
    availability_below_minimum = serializers.BooleanField()
    restore_limit_minutes = serializers.IntegerField()
    restore_delays = RestoreDelaySerializer(many=True)
    sanction = serializers.DecimalField(max_digits=9, decimal_places=2,
                                        help_text=_("Points off the score: delay minutes × the restore weight."))
    indicators = IndicatorResultSerializer(many=True)
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    penalty_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    penalty_amount = serializers.DecimalField(max_digits=14, decimal_places=0)
    waived = serializers.BooleanField()
