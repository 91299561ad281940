from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from core.api.fields import VisiblePrimaryKeyRelatedField
from core.api.serializers import TicketSerializer
from improvements import workflow
from improvements.choices import SourceType
from improvements.models import Improvement


class MeasurementSerializer(serializers.Serializer):
    """A measurement: value, unit and the date it was taken."""

    value = serializers.DecimalField(max_digits=14, decimal_places=3, allow_null=True)
    unit = serializers.CharField(max_length=40, required=False, allow_blank=True)
    date = serializers.DateField(allow_null=True, required=False)


class SourceSerializer(serializers.Serializer):
    type = serializers.CharField(allow_null=True, help_text=_("app_label.model of the source record"))
    id = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()


@extend_schema_field(MeasurementSerializer)
class MeasurementField(serializers.Field):
    """`baseline` / `result` as one object on the wire, three columns in the row."""

    def __init__(self, which, **kwargs):
        self.which = which
        kwargs.setdefault("source", "*")
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_representation(self, item):
        value = getattr(item, f"{self.which}_value")
        return {"value": None if value is None else str(value), "unit": item.baseline_unit,
                "date": getattr(item, f"{self.which}_date")}

    def to_internal_value(self, data):
        if data is None:
            data = {"value": None, "date": None}
        serializer = MeasurementSerializer(data=data, partial=True)
        if not serializer.is_valid():
            raise serializers.ValidationError(serializer.errors)
        given = serializer.validated_data
        values = {f"{self.which}_{key}": given[key] for key in ("value", "date") if key in given}
        if "unit" in given:
            values["baseline_unit"] = given["unit"]
        return values


class ImprovementSerializer(TicketSerializer):
    """An item of the improvement register. `baseline` and `result` are {value, unit, date};
    `source` is {type, id, label} (read-only: set by the record that raised it)."""

    source_type = serializers.ChoiceField(choices=SourceType.choices, required=False)
    source = serializers.SerializerMethodField()
    baseline = MeasurementField("baseline")
    result = MeasurementField("result")
    owner = VisiblePrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), allow_null=True,
                                          required=False)
    verified_by = VisiblePrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), allow_null=True,
                                                required=False)
    benefit = serializers.IntegerField(min_value=1, max_value=5, required=False)
    effort = serializers.IntegerField(min_value=1, max_value=5, required=False)
    risk = serializers.IntegerField(min_value=1, max_value=5, required=False)
    allowed_transitions = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Send the version you read; a stale one answers 409.")
    )

    class Meta:
        model = Improvement
        fields = [
            "id", "number", "kind", "source_type", "source", "title", "description", "benefit", "effort", "risk",
            "priority", "owner", "due_date", "state", "allowed_transitions", "baseline", "result", "verified_by",
            "verified_at", "change", "organisation", "service", "closure_note", "nonconformity", "cause",
            "correction", "corrective_action", "effectiveness_review", "created_at", "updated_at", "closed_at",
            "version",
        ]
        read_only_fields = ["number", "priority", "verified_at", "created_at", "updated_at", "closed_at"]
        extra_kwargs = {"state": {"required": False}}

    @extend_schema_field(SourceSerializer)
    def get_source(self, item):
        content_type = item.source_content_type
        return {"type": f"{content_type.app_label}.{content_type.model}" if content_type else None,
                "id": item.source_object_id, "label": item.source_label}

    def get_allowed_transitions(self, item) -> list[str]:
        return [str(state) for state in workflow.allowed_targets(item.state)]
