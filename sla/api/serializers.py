from rest_framework import serializers

from sla.models import SLAClock


class SLAClockSerializer(serializers.ModelSerializer):
    """A ticket's `slas` entry: {definition, kind, state, due_at, breached_at, elapsed_business_seconds}."""

    definition_name = serializers.CharField(source="definition.name", read_only=True)
    agreement = serializers.CharField(source="definition.agreement", read_only=True)

    class Meta:
        model = SLAClock
        fields = [
            "id", "definition", "definition_name", "agreement", "kind", "state", "priority", "target_minutes",
            "started_at", "due_at", "paused_at", "breached_at", "stopped_at", "elapsed_business_seconds",
        ]
        read_only_fields = fields
