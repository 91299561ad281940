"""The `releases/` resource of API v1 (see /work/shared/API.md)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Team, User
from changes.models import Change
from core.api.fields import VisiblePrimaryKeyRelatedField
from core.api.serializers import TicketSerializer, VisibleRelationsSerializer
from releases import services
from releases.choices import DeploymentState, Environment, ReleaseState
from releases.models import Deployment, Release


class DeploymentSerializer(VisibleRelationsSerializer):
    class Meta:
        model = Deployment
        fields = ["id", "environment", "state", "started_at", "finished_at", "notes"]
        read_only_fields = fields


class ReleaseSerializer(TicketSerializer):
    state = serializers.ChoiceField(choices=ReleaseState.choices, required=False)
    changes = VisiblePrimaryKeyRelatedField(queryset=Change.objects.all(), many=True, required=False)
    assignment_group = VisiblePrimaryKeyRelatedField(queryset=Team.objects.all(), required=False,
                                                          allow_null=True)
    assigned_to = VisiblePrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    deployments = DeploymentSerializer(many=True, read_only=True)
    readiness = serializers.SerializerMethodField()
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True,
                                   help_text=_("Why: required when rolling back."))
    version = serializers.IntegerField(required=False, help_text=_("Required on updates: the version you read."))
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Release
        fields = ["id", "number", "title", "description", "version_label", "state", "changes", "deployments",
                  "planned_date", "test_summary", "tests_passed", "readiness", "rollback_reason",
                  "assignment_group", "assigned_to", "reason", "created_at", "updated_at", "version", "url"]
        read_only_fields = ["number", "rollback_reason", "created_at", "updated_at"]
        extra_kwargs = {"title": {"required": False}, "version_label": {"required": False}}

    def get_readiness(self, release) -> dict:
        ready = services.readiness_of(release)
        return {"ready": ready.ready,
                "items": [{"key": k, "label": str(label), "passed": p, "detail": d} for k, label, p, d in ready.items]}

    def validate(self, attrs):
        if self.instance is None:
            for name in ("title", "version_label"):
                if not (attrs.get(name) or "").strip():
                    raise serializers.ValidationError({name: [_("This field is required.")]})
            if attrs.get("state", ReleaseState.PLANNED) != ReleaseState.PLANNED:
                raise serializers.ValidationError({"state": [_("A new release starts in state planned.")]})
            attrs.pop("state", None)
        return attrs


class DeploymentStepSerializer(serializers.Serializer):
    environment = serializers.ChoiceField(choices=Environment.choices)
    state = serializers.ChoiceField(choices=DeploymentState.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
