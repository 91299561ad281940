from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Team, User
from changes.models import Change
from cmdb.models import ConfigurationItem
from core.api.fields import VisiblePrimaryKeyRelatedField
from core.api.serializers import TicketSerializer
from documents import workflow
from documents.models import Distribution, Document, DocumentVersion
from releases.models import Release


class DistributionSerializer(serializers.ModelSerializer):
    """Who the document goes to: a team or a person; `acknowledged_version` is the version in
    force they acknowledged (null until they do)."""

    team = VisiblePrimaryKeyRelatedField(queryset=Team.objects.all(), allow_null=True, required=False)
    person = VisiblePrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), allow_null=True,
                                           required=False)

    class Meta:
        model = Distribution
        fields = ["id", "team", "person", "acknowledgement_required", "acknowledged_at", "acknowledged_version",
                  "created_at"]
        read_only_fields = ["acknowledged_at", "acknowledged_version", "created_at"]


class DocumentVersionSerializer(serializers.ModelSerializer):
    """One numbered text; frozen (approved_by, approved_at set) once approved."""

    class Meta:
        model = DocumentVersion
        fields = ["number", "body", "change_summary", "created_by", "created_at", "approved_by", "approved_at"]
        read_only_fields = fields


class NewVersionSerializer(serializers.Serializer):
    body = serializers.CharField(help_text=_("The full text of the new version."))
    change_summary = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1, help_text=_("The document's version you read; a stale one "
                                                                "answers 409."))


class TransitionSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Document._meta.get_field("state").choices)
    version = serializers.IntegerField(min_value=1)
    review_at = serializers.DateField(required=False, allow_null=True,
                                      help_text=_("On approval: the next review date (default a year on)."))


class ApproveSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    review_at = serializers.DateField(required=False, allow_null=True)


class DiffSerializer(serializers.Serializer):
    old = serializers.IntegerField()
    new = serializers.IntegerField()
    diff = serializers.CharField(help_text=_("Unified diff of the two texts."))


class DocumentSerializer(TicketSerializer):
    """A document of the register. `current_version` is the number of the approved version in
    force (0 before the first approval); `review_overdue` is true for an approved document past
    its review date. `changes` and `releases` are for requirements only."""

    owner = VisiblePrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), allow_null=True,
                                          required=False)
    clauses = serializers.ListField(child=serializers.CharField(max_length=10), required=False,
                                    help_text=_("ISO/IEC 20000-1 clause ids, e.g. \"8.5.1\"."))
    services = VisiblePrimaryKeyRelatedField(many=True, required=False,
                                             queryset=ConfigurationItem.objects.business_services())
    configuration_items = VisiblePrimaryKeyRelatedField(many=True, required=False,
                                                        queryset=ConfigurationItem.objects.all())
    changes = VisiblePrimaryKeyRelatedField(many=True, required=False, queryset=Change.objects.all())
    releases = VisiblePrimaryKeyRelatedField(many=True, required=False, queryset=Release.objects.all())
    distribution = DistributionSerializer(many=True, read_only=True)
    review_overdue = serializers.BooleanField(source="is_review_overdue", read_only=True)
    allowed_transitions = serializers.SerializerMethodField()
    body = serializers.CharField(write_only=True, required=False,
                                 help_text=_("On creation: the text of the first version."))
    version = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Send the version you read; a stale one answers 409.")
    )

    class Meta:
        model = Document
        fields = [
            "id", "number", "kind", "title", "description", "state", "allowed_transitions", "owner",
            "current_version", "review_at", "review_overdue", "clauses", "services", "configuration_items",
            "changes", "releases", "distribution", "approved_at", "approved_by", "body", "created_at",
            "updated_at", "version",
        ]
        read_only_fields = ["number", "current_version", "approved_at", "approved_by", "created_at", "updated_at"]
        extra_kwargs = {"state": {"required": False}, "kind": {"required": True},
                        "current_version": {"help_text": _("The number of the approved version in force; 0 while "
                                                           "the document is a draft not yet approved.")}}

    def get_allowed_transitions(self, document) -> list[str]:
        return [str(state) for state in workflow.allowed_targets(document.state)]
