"""API representations of event management: the generic event, alerts, suspected changes."""

import json

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import APIException

from monitoring import conf
from monitoring.choices import EventStatus, Severity
from monitoring.models import Alert, Event


class LabelsTooLarge(APIException):
    status_code = 413
    default_code = "too_large"


def check_labels_size(labels, *, field="labels"):
    size = len(json.dumps(labels, ensure_ascii=False, separators=(",", ":")).encode())
    limit = conf.max_labels_bytes()
    if size > limit:
        raise LabelsTooLarge({field: [_("The labels take %(size)d bytes; at most %(limit)d bytes are accepted.")
                                      % {"size": size, "limit": limit}]})


class EventSerializer(serializers.Serializer):
    """One monitoring event (POST events/): without a fingerprint, one is derived from source,
    node (or CI) and check."""

    source = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    node = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    ci = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                               help_text="CI name or external id (the CI mapping rules also read node and labels).")
    check = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    severity = serializers.ChoiceField(choices=Severity.choices)
    status = serializers.ChoiceField(choices=EventStatus.choices, required=False, default=EventStatus.FIRING)
    fingerprint = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    message = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    labels = serializers.DictField(child=serializers.JSONField(), required=False, default=dict)

    def validate(self, attrs):
        if not (attrs.get("fingerprint") or attrs.get("node") or attrs.get("ci") or attrs.get("check")):
            raise serializers.ValidationError(
                {"fingerprint": [_("Send a fingerprint, or the node (or CI) and check to derive one from.")]})
        return attrs


class EventAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The stored event.")
    alert = serializers.IntegerField(allow_null=True, help_text="The alert the event updated or opened.")
    incident = serializers.IntegerField(allow_null=True, help_text="The alert's incident, if any.")


class AlertmanagerAcceptedSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    results = EventAcceptedSerializer(many=True)


class AlertSerializer(serializers.ModelSerializer):
    incident_number = serializers.CharField(source="incident.number", read_only=True, default=None, allow_null=True)
    ci_name = serializers.CharField(source="ci.name", read_only=True, default=None)
    check = serializers.CharField(source="check_name", read_only=True)

    class Meta:
        model = Alert
        fields = ["id", "fingerprint", "ci", "ci_name", "service", "state", "severity", "source", "node", "check",
                  "message", "labels", "count", "flaps", "first_seen", "last_seen", "closed_at", "resolve_due_at",
                  "incident", "incident_number"]
        read_only_fields = fields


class EventRecordSerializer(serializers.ModelSerializer):
    check = serializers.CharField(source="check_name", read_only=True)

    class Meta:
        model = Event
        fields = ["id", "received_at", "source", "node", "ci_name", "ci", "check", "severity", "status",
                  "fingerprint", "fingerprint_derived", "message", "labels", "raw", "alert"]
        read_only_fields = fields


class SuspectedChangeSerializer(serializers.Serializer):
    change = serializers.IntegerField(source="change.pk")
    number = serializers.CharField(source="change.number")
    title = serializers.CharField(source="change.title")
    state = serializers.CharField(source="change.state")
    implemented_at = serializers.DateTimeField(allow_null=True)
    ci = serializers.IntegerField(source="ci.pk")
    ci_name = serializers.CharField(source="ci.name")
    depth = serializers.IntegerField(help_text="0: the incident's CI itself; 1: something it needs directly …")
    linked = serializers.BooleanField(help_text="Linked as the cause (the change's caused_incidents).")


class LinkCauseSerializer(serializers.Serializer):
    change = serializers.IntegerField(help_text="The id of a suspected change to link as the cause.")
