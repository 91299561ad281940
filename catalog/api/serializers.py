"""API v1 catalog: categories and items (with the request form, its JSON Schema)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts import roles
from accounts.models import Team
from catalog.models import ApproverKind, CatalogItem, Category
from changes.models import ChangeTemplate
from core.choices import ApprovalMode
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


class _WholeRow(serializers.Serializer):
    """A row of a list that replaces the item's rows: its required fields are required in a PATCH
    of the item too (DRF would pass the PATCH's partial down and let a row miss them)."""

    row_required = ()

    def validate(self, attrs):
        missing = {name: [_("This field is required.")] for name in self.row_required if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class ApprovalStageSerializer(_WholeRow):
    """One approval stage; writing `approval` replaces the item's stages (catalog.services)."""

    row_required = ("order", "name")

    order = serializers.IntegerField(min_value=1, max_value=32767, help_text="Stages are decided in this order.")
    name = serializers.CharField(max_length=150)
    approver = serializers.ChoiceField(choices=ApproverKind.choices, default=ApproverKind.LINE_MANAGER)
    group = VisiblePrimaryKeyRelatedField(queryset=Team.objects.all(), allow_null=True, required=False,
                                               help_text="The approver group (a group stage).")
    mode = serializers.ChoiceField(choices=ApprovalMode.choices, default=ApprovalMode.ANY,
                                   help_text="A group stage: any one member, all, or a quorum.")
    quorum = serializers.IntegerField(min_value=1, max_value=1000, allow_null=True, required=False, help_text=(
        "A quorum stage's number of approvals. A request lowers it to the number of people left to decide "
        "(the requester never decides) rather than wait on votes nobody can cast."))


class TaskTemplateSerializer(_WholeRow):
    """One step of the fulfilment plan; writing `fulfilment_plan` replaces the steps, and a step
    sent with its `id` keeps it (the tasks made from it stay linked)."""

    row_required = ("stage", "name", "assignment_group")

    id = serializers.IntegerField(required=False, allow_null=True,
                                  help_text="An existing step of this item to keep; omit for a new one.")
    stage = serializers.IntegerField(min_value=1, max_value=32767,
                                     help_text="Stages run in sequence; the steps of one stage in parallel.")
    order = serializers.IntegerField(min_value=1, max_value=32767, default=1)
    name = serializers.CharField(max_length=200)
    name_ko = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    instructions = serializers.CharField(required=False, allow_blank=True, default="")
    assignment_group = VisiblePrimaryKeyRelatedField(queryset=Team.objects.all())
    answer_fields = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                         help_text="Names of the form's fields whose answers the task shows.")
    change_template = VisiblePrimaryKeyRelatedField(
        queryset=ChangeTemplate.objects.all(), allow_null=True, required=False,
        help_text="A standard change template: the step raises that change instead of a plain task.")


class CatalogItemSerializer(VisibleRelationsSerializer):
    form = serializers.JSONField(source="form_schema", required=False,
                                 help_text="The JSON Schema (draft 2020-12) of the answers; x-field names each "
                                           "question's type (catalog.formschema).")
    form_ui = serializers.JSONField(required=False, help_text="Order, labels in English and Korean, help, "
                                                              "choices' labels and show_if conditions.")
    service = VisiblePrimaryKeyRelatedField(queryset=business_services(), required=False, allow_null=True,
                                            help_text="A CMDB business service.")
    approval = ApprovalStageSerializer(
        many=True, source="approval_stages", required=False,
        help_text="The approval stages, in order (empty: none needed). Catalog managers write the whole list.")
    fulfilment_plan = TaskTemplateSerializer(
        many=True, source="task_templates", required=False, allow_null=True,
        help_text="The task templates (desk staff only; null for others). Catalog managers write the whole list "
                  "(an empty list: the item is delivered as soon as it is approved).")
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

    def _sees_plan(self):
        request = self.context.get("request")
        return request is not None and roles.is_agent(request.user)

    @property
    def _readable_fields(self):
        # Not even read for others: their list prefetches no task templates.
        sees_plan = self._sees_plan()
        for field_ in super()._readable_fields:
            if field_.field_name != "fulfilment_plan" or sees_plan:
                yield field_

    def validate_fulfilment_plan(self, value):
        if value is None:
            raise serializers.ValidationError(_("Send the list of steps (an empty list removes them all)."))
        return value

    def to_representation(self, item):
        data = super().to_representation(item)
        request = self.context.get("request")
        if not self._sees_plan():
            data["fulfilment_plan"] = None
        if request is not None and not roles.is_agent(request.user):
            # Who else may order it is the desk's business (the lists come prefetched for all,
            # so blanking them costs no query).
            data["organisations"], data["groups"] = [], []
        return data
