"""The `webhooks/` resources of API v1 (see /work/shared/API.md)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from webhooks.choices import WebhookDeliveryState
from webhooks.models import Subscription, WebhookDelivery


class SubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.CharField(max_length=100), max_length=100, help_text=_(
        "Event names (incident.created) or wildcards: * for every event, incident.* for every event of a type, "
        "*.resolved for one verb of every type."))
    filters = serializers.JSONField(required=False, help_text=_(
        "Only records that match every key given: {\"service\": [CI ids], \"priority\": [1..5], "
        "\"group\": [team ids]}."))
    secret = serializers.CharField(write_only=True, required=False, max_length=120, help_text=_(
        "The Standard Webhooks signing secret, whsec_<base64 of 24 to 64 bytes>; generated when left out "
        "(read it in the desk)."))
    url = serializers.CharField(max_length=500)
    version = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "Send the version you read on updates; a stale one answers 409."))

    class Meta:
        model = Subscription
        fields = ["id", "name", "url", "events", "filters", "secret", "active", "owner", "failure_streak",
                  "failing_since", "last_success_at", "disabled_at", "disabled_reason", "created_at", "version"]
        read_only_fields = ["owner", "failure_streak", "failing_since", "last_success_at", "disabled_at",
                            "disabled_reason", "created_at"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="event_name", read_only=True, help_text=_("The event type name."))
    webhook_id = serializers.CharField(read_only=True, help_text=_(
        "The webhook-id header: the same on every retry and replay."))
    state = serializers.ChoiceField(choices=WebhookDeliveryState.choices, read_only=True)
    event_id = serializers.IntegerField(read_only=True, help_text=_("The outbox event."))

    class Meta:
        model = WebhookDelivery
        fields = ["id", "event", "event_id", "webhook_id", "state", "attempts", "response_status", "latency_ms",
                  "response_excerpt", "error", "next_attempt_at", "created_at", "last_attempt_at", "delivered_at"]
        read_only_fields = fields


class ReplayRangeSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    states = serializers.ListField(child=serializers.ChoiceField(choices=[
        WebhookDeliveryState.DELIVERED, WebhookDeliveryState.DEAD]), required=False)

    def validate(self, attrs):
        if attrs["start"] >= attrs["end"]:
            raise serializers.ValidationError({"end": [_("The end must come after the start.")]})
        return attrs


class ReplayResultSerializer(serializers.Serializer):
    replayed = serializers.IntegerField()
