"""API v1 service level management. Writes go through sla.services; desk staff read, admins write."""


from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.mixins import ApiActorMixin
from core.api.permissions import DeskReadAdminWrite, DeskReadManagerWrite
from sla import engine, services
from sla.api.serializers import (
    BusinessCalendarSerializer,
    ClockDetailSerializer,
    ClockEventSerializer,
    ClockExplanationSerializer,
    SLADefinitionSerializer,
)
from sla.models import BusinessCalendar, ClockEvent, SLAClock, SLADefinition


class BusinessCalendarViewSet(ApiActorMixin, viewsets.ModelViewSet):
    queryset = BusinessCalendar.objects.prefetch_related("intervals", "exceptions").order_by("name")
    serializer_class = BusinessCalendarSerializer
    permission_classes = [DeskReadManagerWrite]
    search_fields = ["name"]
    ordering_fields = ["name", "updated_at"]
    filterset_fields = ["time_zone", "always_open"]

    def _save(self, serializer, instance=None):
        data = dict(serializer.validated_data)
        hours = data.pop("working_hours", None)
        holidays = data.pop("holidays", None) or {}
        custom_dates = holidays.pop("custom_dates", None) if holidays else None
        for key in ("country", "subdivision", "language"):
            if key in holidays:
                data["holiday_" + key] = holidays[key]
        serializer.instance = services.save_calendar(instance, **self.actor_kwargs(), fields=data,
                                                     working_hours=hours, custom_dates=custom_dates)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        from django.db.models import ProtectedError

        from core.exceptions import DomainError

        try:
            services.delete_calendar(instance, **self.actor_kwargs())
        except ProtectedError:
            raise DomainError("This calendar is used by SLA definitions.", code="protected")


class SLADefinitionViewSet(ApiActorMixin, viewsets.ModelViewSet):
    queryset = (SLADefinition.objects.select_related("ticket_type", "calendar")
                .prefetch_related("targets", "escalation_rules").order_by("name"))
    serializer_class = SLADefinitionSerializer
    permission_classes = [DeskReadManagerWrite]
    search_fields = ["name"]
    ordering_fields = ["name", "updated_at"]
    filterset_fields = ["agreement", "active", "calendar"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def _save(self, serializer, instance=None):
        data = dict(serializer.validated_data)
        targets = data.pop("targets", None)
        if "ticket_type" in data:
            data["ticket_type"] = services.ticket_type_from_label(data["ticket_type"])
        serializer.instance = services.save_definition(instance, **self.actor_kwargs(), fields=data,
                                                       targets=targets)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


class SLAClockViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Clocks (desk staff only), with `events/` and `explain/` for "why this breached"."""

    queryset = SLAClock.objects.select_related("definition", "content_type").order_by("-started_at", "-id")
    serializer_class = ClockDetailSerializer
    permission_classes = [DeskReadAdminWrite]
    filterset_fields = ["state", "kind", "definition", "object_id", "content_type"]
    ordering_fields = ["started_at", "due_at", "breached_at"]

    @extend_schema(responses=ClockEventSerializer(many=True), filters=False)
    @action(detail=True, pagination_class=None)
    def events(self, request, pk=None):
        clock = self.get_object()
        events = ClockEvent.objects.filter(clock=clock).select_related("actor", "calendar").order_by("at", "id")
        return Response(ClockEventSerializer(events, many=True).data)

    @extend_schema(responses=ClockExplanationSerializer, filters=False)
    @action(detail=True, pagination_class=None)
    def explain(self, request, pk=None):
        clock = self.get_object()
        result = engine.explain(clock)
        result["events"] = [{**e, "at": e["at"].isoformat(), "recorded_at": e["recorded_at"].isoformat(),
                             "due_at": e["due_at"].isoformat() if e["due_at"] else None} for e in result["events"]]
        result["breached_at"] = result["breached_at"].isoformat() if result["breached_at"] else None
        return Response(result)



