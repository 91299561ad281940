"""The `requests/` and `tasks/` resources of API v1 (see /work/shared/API.md)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.serializers import UserBriefSerializer
from accounts.models import User
from core import pickers
from core.api.fields import VisiblePrimaryKeyRelatedField
from core.api.serializers import TicketSerializer, VisibleRelationsSerializer
from core.choices import Decision
from fulfilment.inbox import request_url
from fulfilment.choices import RequestState, TaskState
from fulfilment.models import Request, RequestApproval, RequestItem, Task
from sla.api.serializers import SLAClockSerializer


def _people_one_may_order_for(queryset, user):
    return pickers.get("person").options(user)


class RequestItemSerializer(VisibleRelationsSerializer):
    catalog_item = serializers.PrimaryKeyRelatedField(read_only=True)
    catalog_item_name = serializers.CharField(source="catalog_item.display_name", read_only=True)

    class Meta:
        model = RequestItem
        fields = ["id", "catalog_item", "catalog_item_name", "quantity", "answers", "state", "current_stage",
                  "rejection_reason"]
        read_only_fields = fields


class RequestApprovalSerializer(VisibleRelationsSerializer):
    approver = UserBriefSerializer(read_only=True)

    class Meta:
        model = RequestApproval
        fields = ["id", "request_item", "round", "stage_order", "stage_name", "approver", "decision", "comment",
                  "channel", "created_at"]
        read_only_fields = fields


class ServiceRequestSerializer(TicketSerializer):
    state = serializers.ChoiceField(choices=RequestState.choices, required=False,
                                    help_text=_("On updates: cancelled (withdraw it) or closed (once fulfilled)."))
    requested_by = UserBriefSerializer(read_only=True)
    requested_for = UserBriefSerializer(read_only=True)
    items = RequestItemSerializer(many=True, read_only=True)
    approvals = serializers.SerializerMethodField()
    slas = SLAClockSerializer(source="sla_clocks", many=True, read_only=True)
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=4000,
                                   help_text=_("Why the request is cancelled."))
    version = serializers.IntegerField(required=False, help_text=_("Required on updates: the version you read."))
    url = serializers.SerializerMethodField(help_text=_("The desk's page of the request."))

    class Meta:
        model = Request
        fields = ["id", "number", "title", "description", "state", "requested_by", "requested_for", "channel",
                  "items", "approvals", "created_at", "updated_at", "approved_at", "fulfilled_at", "closed_at",
                  "version", "slas", "reason", "url"]
        read_only_fields = ["number", "title", "description", "channel", "created_at", "updated_at", "approved_at",
                            "fulfilled_at", "closed_at"]

    def get_url(self, request) -> str:
        return request_url(request.pk)

    def get_approvals(self, request) -> RequestApprovalSerializer(many=True):
        rows = [a for item in request.items.all() for a in item.approvals.all()]
        return RequestApprovalSerializer(rows, many=True, context=self.context).data

    def validate_state(self, value):
        if value not in (RequestState.CANCELLED, RequestState.CLOSED):
            raise serializers.ValidationError(_("A request can only be cancelled or closed here."))
        return value


class OrderLineSerializer(serializers.Serializer):
    catalog_item = serializers.IntegerField(min_value=1, help_text=_("The catalog item's id."))
    answers = serializers.JSONField(required=False, default=dict,
                                    help_text=_("The item's form answers: {field name: value}."))
    quantity = serializers.IntegerField(required=False, default=1, min_value=1,
                                        help_text=_("From 1 to the item's largest quantity per request."))


class ServiceRequestCreateSerializer(serializers.Serializer):
    """One item (`catalog_item`, `answers`, `quantity`) or several (`items`), for oneself or for
    `requested_for`."""

    catalog_item = serializers.IntegerField(required=False, min_value=1)
    answers = serializers.JSONField(required=False, default=dict)
    quantity = serializers.IntegerField(required=False, default=1, min_value=1)
    items = OrderLineSerializer(many=True, required=False)
    requested_for = VisiblePrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                                  allow_null=True, scope=_people_one_may_order_for)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)

    def validate(self, attrs):
        single = attrs.get("catalog_item")
        lines = attrs.get("items")
        if single is None and not lines:
            raise serializers.ValidationError({"catalog_item": [_("Send catalog_item, or items with at least one.")]})
        if single is not None and lines:
            raise serializers.ValidationError({"items": [_("Send catalog_item or items, not both.")]})
        return attrs


class RequestDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000,
                                    help_text=_("Required to reject: the requester reads it."))


class FulfilmentTaskSerializer(TicketSerializer):
    name = serializers.CharField(source="title", read_only=True)
    state = serializers.ChoiceField(choices=TaskState.choices, required=False)
    request = serializers.SlugRelatedField(slug_field="number", read_only=True)
    assignment_group = serializers.PrimaryKeyRelatedField(read_only=True)
    assigned_to = VisiblePrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10000,
                                  help_text=_("On updates: a note appended (with your name and the time)."))
    change = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    slas = SLAClockSerializer(source="sla_clocks", many=True, read_only=True)
    version = serializers.IntegerField(required=False, help_text=_("Required on updates: the version you read."))

    class Meta:
        model = Task
        fields = ["id", "number", "request", "request_item", "name", "description", "stage", "state",
                  "assignment_group", "assigned_to", "notes", "change", "opened_at", "completed_at", "created_at",
                  "updated_at", "version", "slas"]
        read_only_fields = ["number", "request_item", "description", "stage", "opened_at", "completed_at",
                            "created_at", "updated_at"]


