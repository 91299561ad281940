"""API v1 webhooks: subscriptions, their delivery log and replay. The desk reads (as it reads the SLA
configuration); managers and administrators write and replay. The secret is never shown."""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.mixins import AnyKeyLookupMixin, ApiActorMixin
from core.api.permissions import DeskReadManagerWrite
from webhooks import services
from webhooks.api.serializers import (
    ReplayRangeSerializer,
    ReplayResultSerializer,
    SubscriptionSerializer,
    WebhookDeliverySerializer,
)
from webhooks.choices import WebhookDeliveryState
from webhooks.models import Subscription, WebhookDelivery


class SubscriptionViewSet(AnyKeyLookupMixin, ApiActorMixin, viewsets.ModelViewSet):
    """Webhook subscriptions: where events are sent, signed per Standard Webhooks."""

    queryset = Subscription.objects.order_by("id")
    serializer_class = SubscriptionSerializer
    permission_classes = [DeskReadManagerWrite]
    filterset_fields = ["active"]
    search_fields = ["name", "url"]
    ordering_fields = ["id", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.save_subscription(None, **self.actor_kwargs(), fields=data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = services.save_subscription(serializer.instance, **self.actor_kwargs(), fields=data,
                                                         expected_version=version)

    def perform_destroy(self, instance):
        services.delete_subscription(instance, **self.actor_kwargs())

    @extend_schema(request=ReplayRangeSerializer, responses=ReplayResultSerializer, description=(
        "Send again every finished delivery made between start and end (optionally only those in `states`), "
        "and make the ones the subscription lacks for events of that time."))
    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        subscription = self.get_object()
        serializer = ReplayRangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = services.replay_range(subscription, **self.actor_kwargs(), **serializer.validated_data)
        return Response({"replayed": count})


class DeliveryFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=WebhookDeliveryState.choices)
    event = django_filters.CharFilter(field_name="event_name")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = WebhookDelivery
        fields = ["state", "event", "webhook_id"]


_SUBSCRIPTION = OpenApiParameter("subscription_pk", int, OpenApiParameter.PATH, description="The subscription id.")


@extend_schema(parameters=[_SUBSCRIPTION])
class DeliveryViewSet(AnyKeyLookupMixin, ApiActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The delivery log of one subscription, newest first."""

    serializer_class = WebhookDeliverySerializer
    permission_classes = [DeskReadManagerWrite]
    filterset_class = DeliveryFilterSet
    ordering_fields = ["id", "created_at", "delivered_at"]
    queryset = WebhookDelivery.objects.none()

    def subscription(self):
        from core.web import parse_id

        return get_object_or_404(Subscription, pk=parse_id(self.kwargs["subscription_pk"]) or 0)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookDelivery.objects.none()
        return WebhookDelivery.objects.filter(subscription=self.subscription()).defer("body").order_by("-id")

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer}, description=(
        "Send this delivery again with its webhook-id. 400 while it is still being sent."))
    @action(detail=True, methods=["post"])
    def replay(self, request, subscription_pk=None, pk=None):
        delivery = self.get_object()
        delivery = services.replay(delivery, **self.actor_kwargs())
        return Response(self.get_serializer(delivery).data, status=status.HTTP_202_ACCEPTED)
