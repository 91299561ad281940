"""The `changes/` resource of API v1 (see /work/shared/API.md)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.serializers import UserBriefSerializer
from accounts.models import Team, User
from changes import conflicts as conflict_rules
from changes.choices import ChangeState, ChangeType, Decision, Outcome, Risk
from changes.models import Approval, Change, ChangeTemplate, FreezeWindow
from cmdb.models import ConfigurationItem
from core.api.fields import VisiblePrimaryKeyRelatedField
from core.api.serializers import TicketSerializer, VisibleRelationsSerializer
from incidents.models import Incident


class ApprovalSerializer(VisibleRelationsSerializer):
    approver = UserBriefSerializer(read_only=True)

    class Meta:
        model = Approval
        fields = ["id", "round", "stage_order", "stage_name", "approver", "decision", "comment", "created_at"]
        read_only_fields = fields


class ChangeListSerializer(serializers.ListSerializer):
    """A page of changes gets its current conflicts in one go (changes.conflicts.current)."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        conflict_rules.current(items)
        return super().to_representation(items)


class ChangeSerializer(TicketSerializer):
    type = serializers.ChoiceField(choices=ChangeType.choices, required=False)
    state = serializers.ChoiceField(choices=ChangeState.choices, required=False)
    risk = serializers.ChoiceField(choices=Risk.choices, required=False, allow_blank=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True,
                                      help_text=_("Required when moving to review."))
    affected_cis = VisiblePrimaryKeyRelatedField(queryset=ConfigurationItem.objects.all(), many=True,
                                                      required=False)
    requested_by = VisiblePrimaryKeyRelatedField(queryset=User.objects.all(), required=False)
    assignment_group = VisiblePrimaryKeyRelatedField(queryset=Team.objects.all(), required=False,
                                                          allow_null=True)
    assigned_to = VisiblePrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    caused_incidents = VisiblePrimaryKeyRelatedField(queryset=Incident.objects.all(), many=True,
                                                          required=False)
    template = VisiblePrimaryKeyRelatedField(queryset=ChangeTemplate.objects.filter(active=True),
                                                  required=False, allow_null=True)
    version = serializers.IntegerField(required=False, help_text=_("Required on updates: the version you read."))
    conflicts = serializers.JSONField(read_only=True)
    approvals = ApprovalSerializer(many=True, read_only=True)
    requested_by_detail = UserBriefSerializer(source="requested_by", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Change
        fields = [
            "id", "number", "title", "description", "type", "state", "risk", "risk_score", "planned_start",
            "planned_end", "affected_cis", "implementation_plan", "backout_plan", "test_plan", "requested_by",
            "requested_by_detail", "emergency_reason", "template", "actual_start", "actual_end", "outcome",
            "caused_incidents", "assignment_group", "assigned_to", "approval_round", "approved_at", "conflicts",
            "conflicts_checked_at", "approvals", "created_at", "updated_at", "version", "url",
        ]
        read_only_fields = ["number", "risk_score", "actual_start", "actual_end", "approval_round", "approved_at",
                            "conflicts_checked_at", "created_at", "updated_at"]
        extra_kwargs = {"title": {"required": False}}
        list_serializer_class = ChangeListSerializer

    def to_representation(self, instance):
        # Conflicts as of now, not as of the last scheduling (a no-op when the list attached them).
        conflict_rules.current([instance])
        return super().to_representation(instance)

    def validate(self, attrs):
        if self.instance is None:
            if not (attrs.get("title") or "").strip():
                raise serializers.ValidationError({"title": [_("This field is required.")]})
            if attrs.get("state", ChangeState.NEW) != ChangeState.NEW:
                raise serializers.ValidationError({"state": [_("A new change starts in state new.")]})
            attrs.pop("state", None)
            if attrs.get("outcome"):
                raise serializers.ValidationError({"outcome": [_("The outcome is recorded at review.")]})
        start = attrs.get("planned_start", getattr(self.instance, "planned_start", None))
        end = attrs.get("planned_end", getattr(self.instance, "planned_end", None))
        if start and end and end <= start:
            raise serializers.ValidationError(
                {"planned_end": [_("The planned window ends before it starts: the end must be after the start.")]}
            )
        return attrs


class ApprovalDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class RiskAssessmentSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.BooleanField())
    version = serializers.IntegerField(required=False)


class PIRSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=10000)
    lessons_learned = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    follow_up_actions = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)


class ChangeTemplateSerializer(VisibleRelationsSerializer):
    class Meta:
        model = ChangeTemplate
        fields = ["id", "name", "description", "implementation_plan", "backout_plan", "test_plan", "risk",
                  "assignment_group", "active"]


class FreezeWindowSerializer(VisibleRelationsSerializer):
    class Meta:
        model = FreezeWindow
        fields = ["id", "name", "reason", "start", "end", "services", "active"]

    def validate(self, attrs):
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end <= start:
            raise serializers.ValidationError({"end": [_("The freeze ends before it starts.")]})
        return attrs
