from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Team
from cmdb.choices import RelationshipType
from cmdb.models import CIClass, ConfigurationItem, Relationship
from core.api.fields import VisiblePrimaryKeyRelatedField, VisibleSlugRelatedField
from core.api.serializers import VisibleRelationsSerializer


class CIClassSerializer(VisibleRelationsSerializer):
    class Meta:
        model = CIClass
        fields = ["id", "slug", "name", "description", "attribute_schema", "icon", "colour"]


class NestedCISerializer(VisibleRelationsSerializer):
    """The small form a CI takes inside another record."""

    ci_class = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ConfigurationItem
        fields = ["id", "name", "ci_class", "environment"]


class ConfigurationItemSerializer(VisibleRelationsSerializer):
    ci_class = VisibleSlugRelatedField(slug_field="slug", queryset=CIClass.objects.all())
    owner_group = VisiblePrimaryKeyRelatedField(queryset=Team.objects.all(), allow_null=True, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    attributes = serializers.JSONField(required=False)
    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text=_("Send the version you read; a stale one answers 409."))

    # What the list endpoint needs beyond the CI rows (kept next to the serializer that uses it).
    PREFETCH = ("ci_class", "owner_group")

    class Meta:
        model = ConfigurationItem
        fields = [
            "id", "name", "ci_class", "status", "environment", "criticality", "owner_group", "description",
            "location", "vendor", "tags", "attributes", "external_id", "version", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness is checked by the service (with field-named messages), also for PATCH.
        validators = []
        extra_kwargs = {"external_id": {"validators": []}}

    def validate_attributes(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Must be a JSON object."))
        return value


class RelationshipSerializer(VisibleRelationsSerializer):
    source = VisiblePrimaryKeyRelatedField(queryset=ConfigurationItem.objects.all())
    target = VisiblePrimaryKeyRelatedField(queryset=ConfigurationItem.objects.all())
    type = serializers.ChoiceField(choices=RelationshipType.choices)

    class Meta:
        model = Relationship
        fields = ["id", "source", "target", "type", "created_at"]
        read_only_fields = ["created_at"]
        validators = []


class ImpactQuerySerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["downstream", "upstream"], default="downstream")
    depth = serializers.IntegerField(min_value=1, max_value=20, default=5)
    type = serializers.MultipleChoiceField(choices=RelationshipType.choices, required=False)


class ImpactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    ci_class = serializers.CharField(source="ci_class.slug")
    depth = serializers.IntegerField()
