from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Team, User
from core.api.fields import VisiblePrimaryKeyRelatedField
from core.api.serializers import TicketSerializer, VisibleRelationsSerializer
from problems import workflow
from problems.models import Problem


class ProblemSerializer(TicketSerializer):
    """A problem; `incidents`, `configuration_items` (and `changes`) are lists of ids."""

    assignment_group = VisiblePrimaryKeyRelatedField(queryset=Team.objects.all(), allow_null=True, required=False)
    assigned_to = VisiblePrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)
    allowed_transitions = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Send the version you read; a stale one answers 409.")
    )

    # What the list endpoint needs beyond the problem rows (kept next to the serializer that uses it).
    SELECT = ()
    PREFETCH = ("incidents", "configuration_items")

    class Meta:
        model = Problem
        fields = [
            "id", "number", "title", "description", "state", "allowed_transitions", "impact", "priority",
            "cause_category", "root_cause", "workaround", "analysis_notes", "known_error",
            "incidents", "configuration_items", "assignment_group", "assigned_to", "created_by",
            "created_at", "updated_at", "resolved_at", "closed_at", "version", "changes",
        ]
        read_only_fields = ["number", "created_at", "updated_at", "resolved_at", "closed_at"]
        extra_kwargs = {"incidents": {"required": False}, "configuration_items": {"required": False},
                        "changes": {"required": False}}

    def get_allowed_transitions(self, obj) -> list[str]:
        return [str(state) for state in workflow.allowed_targets(obj.state)]


class ResolveSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    root_cause = serializers.CharField(required=False, allow_blank=True)
    resolve_incidents = serializers.BooleanField(default=False)
    resolution_notes = serializers.CharField(required=False, allow_blank=True, default="")


class ApplyKnownErrorSerializer(serializers.Serializer):
    incident = serializers.IntegerField(min_value=1)


class KnownErrorSerializer(VisibleRelationsSerializer):
    class Meta:
        model = Problem
        fields = ["id", "number", "title", "state", "root_cause", "workaround", "cause_category", "updated_at"]
