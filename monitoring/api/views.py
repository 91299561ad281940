"""API of event management: event ingest (generic and Alertmanager), alerts, suspected changes."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import ApiTokenAuthentication
from core.api.mixins import AnyKeyLookupMixin, number_or_id
from core.api.permissions import DeskOnly
from core.choices import Channel
from incidents.models import Incident
from monitoring import alertmanager, conf, ingest, suspects
from monitoring.api import schema  # noqa: F401  (the token schemes' OpenAPI descriptions)
from monitoring.api import serializers as s
from monitoring.api.authentication import BearerTokenAuthentication, QueryTokenAuthentication
from monitoring.filtersets import AlertFilterSet
from monitoring.models import Alert

INGEST_AUTH = [ApiTokenAuthentication, BearerTokenAuthentication, QueryTokenAuthentication, SessionAuthentication]
TOKEN_PARAM = OpenApiParameter(
    "token", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
    description="An API token, for senders that cannot set a header. Prefer `Authorization: Token <key>` or "
                "`Authorization: Bearer <key>` (Alertmanager: `http_config.authorization.credentials`).")


def _outcome(result):
    return {"id": result.event_id, "alert": result.alert_id, "incident": result.incident_id}


def _ingest_all(items, *, actor):
    return [_outcome(result) for result in
            ingest.ingest_many([ingest.IncomingEvent(**item) for item in items], actor=actor)]


class EventIngestView(APIView):
    """Receive one monitoring event (or a list of up to MONITORING_MAX_BATCH): store it, update
    the open alert of its fingerprint or open one, and open an incident when the incident rules
    say so. Without a fingerprint, one is derived from source, node (or CI) and check. An
    unknown CI is stored as sent; its alert has no CI (and incident rules with environment or
    criticality conditions do not match it). Labels above MONITORING_MAX_LABELS_BYTES: 413."""

    authentication_classes = INGEST_AUTH
    permission_classes = [DeskOnly]

    @extend_schema(request=s.EventSerializer, responses={202: s.EventAcceptedSerializer}, parameters=[TOKEN_PARAM],
                   operation_id="events_create")
    def post(self, request):
        data = request.data
        many = isinstance(data, list)
        if many and len(data) > conf.max_batch():
            raise ValidationError({"detail": _("At most %(count)d events per request.") % {"count": conf.max_batch()}})
        items = data if many else [data]
        if many:
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    s.check_labels_size(item.get("labels") or {}, field=f"[{index}].labels")
        elif isinstance(data, dict):
            s.check_labels_size(data.get("labels") or {})
        serializer = s.EventSerializer(data=items, many=True) if many else s.EventSerializer(data=data)
        if not serializer.is_valid():
            errors = serializer.errors
            if many:
                pairs = errors.items() if isinstance(errors, dict) else enumerate(errors)
                errors = {f"[{i}].{field}": messages for i, item in pairs for field, messages in (item or {}).items()}
            raise ValidationError(errors)
        valid = serializer.validated_data if many else [serializer.validated_data]
        for item, original in zip(valid, items):
            item["raw"] = original
        results = _ingest_all(valid, actor=request.user)
        return Response(results if many else results[0], status=status.HTTP_202_ACCEPTED)


class AlertmanagerView(APIView):
    """Prometheus Alertmanager's webhook receiver (payload version 4, as Alertmanager sends it).
    Each alert of the group becomes an event: fingerprint "am:<fingerprint>", check `alertname`,
    node `instance`, CI label `ci` (or the mapping rules), severity label `severity` (critical,
    major/error/high, minor/medium, warning, info/low/none; anything else is warning), message
    annotation `summary` or `description`. Authenticate with `Authorization: Bearer <token>`
    (Alertmanager's `http_config: {authorization: {credentials: <token>}}`), `Token <token>`, or
    `?token=<token>` in the webhook URL."""

    authentication_classes = INGEST_AUTH
    permission_classes = [DeskOnly]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={202: s.AlertmanagerAcceptedSerializer},
                   parameters=[TOKEN_PARAM], operation_id="events_alertmanager_create", examples=[OpenApiExample(
                       "firing", request_only=True, value={
                           "version": "4", "status": "firing", "receiver": "itsm", "groupKey": "{}:{}",
                           "alerts": [{"status": "firing", "labels": {"alertname": "HostDown",
                                                                      "instance": "web-01:9100", "severity": "critical"},
                                       "annotations": {"summary": "web-01 is down"},
                                       "startsAt": "2026-12-03T06:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
                                       "fingerprint": "4f1c2a9b7e3d5a10"}]})])
    def post(self, request):
        try:
            items = alertmanager.parse(request.data, max_alerts=conf.max_batch())
        except alertmanager.PayloadError as error:
            raise ValidationError({error.field: [error.message]}) from None
        for index, item in enumerate(items):
            s.check_labels_size(item["labels"], field=f"alerts[{index}].labels")
        results = _ingest_all(items, actor=request.user)
        return Response({"accepted": len(results), "results": results}, status=status.HTTP_202_ACCEPTED)


class AlertViewSet(AnyKeyLookupMixin, viewsets.ReadOnlyModelViewSet):
    """Alerts: one per fault (fingerprint) while open, with its repeat count and incident."""

    queryset = Alert.objects.select_related("ci", "incident").order_by("-last_seen", "-id")
    serializer_class = s.AlertSerializer
    filterset_class = AlertFilterSet
    permission_classes = [DeskOnly]
    search_fields = ["fingerprint", "check_name", "node", "message"]
    ordering_fields = ["last_seen", "first_seen", "count", "id"]

    @extend_schema(responses={200: s.EventRecordSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        alert = self.get_object()
        page = self.paginate_queryset(alert.events.order_by("-id"))
        return self.get_paginated_response(s.EventRecordSerializer(page, many=True).data)


class SuspectedChangesView(APIView):
    """Changes implemented in the last 24 hours on the incident's CI or on anything it needs
    (upstream through the CMDB), nearest first (graph depth, then time). POST {change} links one
    as the cause (the change's caused_incidents, with a work note)."""

    permission_classes = [DeskOnly]

    def _incident(self, request, ref):
        return get_object_or_404(Incident.objects.visible_to(request.user), **number_or_id(ref))

    @extend_schema(responses={200: s.SuspectedChangeSerializer(many=True)}, operation_id="incidents_suspected_changes")
    def get(self, request, ref):
        incident = self._incident(request, ref)
        return Response(s.SuspectedChangeSerializer(suspects.suspected_changes(incident), many=True).data)

    @extend_schema(request=s.LinkCauseSerializer, responses={200: s.SuspectedChangeSerializer(many=True)},
                   operation_id="incidents_suspected_changes_link")
    def post(self, request, ref):
        incident = self._incident(request, ref)
        body = s.LinkCauseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        suspects.link_cause(incident, change_id=body.validated_data["change"], actor=request.user,
                            channel=Channel.API)
        return Response(s.SuspectedChangeSerializer(suspects.suspected_changes(incident), many=True).data)
