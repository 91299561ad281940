"""The `incidents/` and `incidents/{id}/comments/` resources of API v1 (see /work/shared/API.md)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import UserBriefSerializer
from accounts.models import Team, User
from cmdb.models import ConfigurationItem
from core.api.fields import RecordUrlField, VisiblePrimaryKeyRelatedField, VisibleSlugRelatedField
from core.api.serializers import TicketSerializer, VisibleRelationsSerializer
from core.models import Comment
from incidents.choices import IncidentChannel, IncidentState, OnHoldReason, ResolutionCode
from incidents import security
from incidents.choices import SecurityRecipient
from incidents.models import Category, Incident, SecurityNotification
from sla.api.serializers import SLAClockSerializer, TicketClocksSerializer


class SecurityDetailSerializer(VisibleRelationsSerializer):
    """The security group's part of an information security incident."""

    class Meta:
        model = Incident
        fields = ["confidentiality_impact", "integrity_impact", "availability_impact", "security_notes",
                  "security_flagged_at"]
        read_only_fields = fields


# What a webhook says about a security incident: that it exists and moved, not what it is about.
WEBHOOK_SECURITY_FIELDS = ("id", "number", "state", "priority", "is_security", "created_at", "updated_at",
                           "version", "url")


class IncidentSerializer(TicketSerializer):
    caller = VisiblePrimaryKeyRelatedField(queryset=User.objects.all(), required=False)
    category = VisibleSlugRelatedField(slug_field="slug", queryset=Category.objects.filter(parent=None),
                                            required=False, allow_null=True)
    subcategory = VisibleSlugRelatedField(slug_field="slug", queryset=Category.objects.exclude(parent=None),
                                               required=False, allow_null=True)
    service = VisiblePrimaryKeyRelatedField(queryset=ConfigurationItem.objects.all(), required=False,
                                                 allow_null=True)
    configuration_item = VisiblePrimaryKeyRelatedField(queryset=ConfigurationItem.objects.all(),
                                                            required=False, allow_null=True)
    assignment_group = VisiblePrimaryKeyRelatedField(queryset=Team.objects.all(), required=False,
                                                          allow_null=True)
    assigned_to = VisiblePrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    parent = VisibleSlugRelatedField(slug_field="number", queryset=Incident.objects.all(), required=False,
                                          allow_null=True)
    channel = serializers.ChoiceField(choices=IncidentChannel.choices, required=False)
    state = serializers.ChoiceField(choices=IncidentState.choices, required=False)
    on_hold_reason = serializers.ChoiceField(choices=OnHoldReason.choices, required=False, allow_blank=True)
    resolution_code = serializers.ChoiceField(choices=ResolutionCode.choices, required=False, allow_blank=True)
    priority = serializers.IntegerField(min_value=1, max_value=5, required=False,
                                        help_text=_("Computed from impact and urgency unless overridden with a "
                                                    "priority_override_reason."))
    version = serializers.IntegerField(required=False, help_text=_("Required on updates: the version you read."))
    caller_detail = UserBriefSerializer(source="caller", read_only=True)
    assigned_to_detail = UserBriefSerializer(source="assigned_to", read_only=True, allow_null=True)
    slas = TicketClocksSerializer(child=SLAClockSerializer(), source="sla_clocks", read_only=True)
    url = RecordUrlField("incidents:incident_detail")
    is_security = serializers.BooleanField(read_only=True, help_text=_(
        "An information security incident: seen only by the security group (and its caller). Set and "
        "cleared in the desk, not through this resource."))
    security = serializers.SerializerMethodField(help_text=_(
        "Confidentiality, integrity and availability impact and the group's notes: for the security "
        "group only, null for everyone else."))

    class Meta:
        model = Incident
        fields = [
            "id", "number", "title", "description", "caller", "caller_detail", "channel", "category", "subcategory",
            "service", "configuration_item", "impact", "urgency", "priority", "priority_override",
            "priority_override_reason", "state", "on_hold_reason", "assignment_group", "assigned_to",
            "assigned_to_detail", "resolution_code", "resolution_notes", "is_major", "service_down", "parent", "reopen_count",
            "created_at", "updated_at", "first_responded_at", "resolved_at", "closed_at", "version", "slas", "url",
            "is_security", "security",
        ]
        read_only_fields = ["number", "priority_override", "reopen_count", "created_at", "updated_at",
                            "first_responded_at", "resolved_at", "closed_at"]
        extra_kwargs = {"title": {"required": False}}

    @extend_schema_field(SecurityDetailSerializer(allow_null=True))
    def get_security(self, incident):
        request = self.context.get("request")
        if not incident.is_security or request is None or not security.can_read_security_fields(request.user):
            return None
        return SecurityDetailSerializer(incident).data

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.is_security and self.context.get("webhook"):
            return {name: data[name] for name in WEBHOOK_SECURITY_FIELDS}
        return data

    def validate(self, attrs):
        if self.instance is None:
            if not (attrs.get("title") or "").strip():
                raise serializers.ValidationError({"title": [_("This field is required.")]})
            if attrs.get("state", IncidentState.NEW) != IncidentState.NEW:
                raise serializers.ValidationError({"state": [_("A new incident starts in state new.")]})
            attrs.pop("state", None)
        return attrs


class CommentSerializer(VisibleRelationsSerializer):
    author = UserBriefSerializer(read_only=True)
    internal = serializers.BooleanField(required=False, default=False,
                                        help_text=_("A work note, visible to the service desk only."))
    body = serializers.CharField(allow_blank=True, required=False, default="")

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "internal", "channel", "created_at"]
        read_only_fields = ["channel", "created_at"]


class SecurityNotificationSerializer(serializers.ModelSerializer):
    notified_by = UserBriefSerializer(read_only=True)
    recipient = serializers.ChoiceField(choices=SecurityRecipient.choices)
    notified_at = serializers.DateTimeField(required=False, help_text=_("When they were told; now if not given."))

    class Meta:
        model = SecurityNotification
        fields = ["id", "recipient", "recipient_detail", "notified_at", "notified_by", "reference", "note",
                  "created_at"]
        read_only_fields = ["id", "notified_by", "created_at"]
