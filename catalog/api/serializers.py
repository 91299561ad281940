"""API v1 catalog: categories and items (with the request form, its JSON Schema)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import roles
from catalog.models import CatalogItem, Category
from catalog.selectors import business_services
from core.api.fields import VisiblePrimaryKeyRelatedField
from core.api.serializers import VisibleRelationsSerializer


class CategorySerializer(VisibleRelationsSerializer):
    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text="The version read; a stale one answers 409 and changes nothing.")

    class Meta:
        model = Category
        fields = ["id", "name", "name_ko", "description", "description_ko", "parent", "icon", "order", "active",
                  "version"]


class ApprovalStageSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()
    approver = serializers.CharField(help_text="line_manager or group")
    group = serializers.IntegerField(allow_null=True, source="group_id")
    mode = serializers.CharField(help_text="any, all or quorum")
    quorum = serializers.IntegerField(allow_null=True)


class TaskTemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    name_ko = serializers.CharField()
    assignment_group = serializers.IntegerField(source="assignment_group_id")
    answer_fields = serializers.ListField(child=serializers.CharField())
    change_template = serializers.IntegerField(allow_null=True, source="change_template_id")


class CatalogItemSerializer(VisibleRelationsSerializer):
    form = serializers.JSONField(source="form_schema", required=False,
                                 help_text="The JSON Schema (draft 2020-12) of the answers; x-field names each "
                                           "question's type (catalog.formschema).")
    form_ui = serializers.JSONField(required=False, help_text="Order, labels in English and Korean, help, "
                                                              "choices' labels and show_if conditions.")
    service = VisiblePrimaryKeyRelatedField(queryset=business_services(), required=False, allow_null=True,
                                            help_text="A CMDB business service.")
    approval = serializers.SerializerMethodField(help_text="The approval stages, in order (empty: none needed).")
    fulfilment_plan = serializers.SerializerMethodField(
        help_text="The task templates (desk staff only; null for others).")
    picture = serializers.FileField(read_only=True)
    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text="The version read; a stale one answers 409 and changes nothing.")

    class Meta:
        model = CatalogItem
        fields = ["id", "name", "name_ko", "category", "service", "summary", "summary_ko", "description",
                  "description_ko", "icon", "picture", "active", "form", "form_ui", "delivery_time",
                  "sla_from_delivery_time", "max_quantity", "available_to_everyone", "organisations", "groups",
                  "approval", "fulfilment_plan", "times_ordered", "version", "created_at", "updated_at"]
        read_only_fields = ["times_ordered", "created_at", "updated_at"]
        extra_kwargs = {"max_quantity": {"min_value": 1, "max_value": 1000}, "delivery_time": {"min_value": 1}}

    @extend_schema_field(ApprovalStageSerializer(many=True))
    def get_approval(self, item):
        return ApprovalStageSerializer(item.approval_stages.all(), many=True).data

    @extend_schema_field(TaskTemplateSerializer(many=True, allow_null=True))
    def get_fulfilment_plan(self, item):
        request = self.context.get("request")
        if request is None or not roles.is_agent(request.user):
            return None
        return TaskTemplateSerializer(item.task_templates.all(), many=True).data

    def to_representation(self, item):
        data = super().to_representation(item)
        request = self.context.get("request")
        if request is not None and not roles.is_agent(request.user):
            # Who else may order it is the desk's business.
            data["organisations"], data["groups"] = [], []
        return data
