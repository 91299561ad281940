"""API v1 requests and tasks: the core TicketViewSet with fulfilment.services behind it."""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from accounts.models import Team, User
from catalog.formschema import AnswersInvalid
from core import services as core_services
from core.api.permissions import DeskOnly
from core.api.viewsets import TicketCommentViewSet, TicketViewSet
from core.paging import capped_paginator
from fulfilment import services
from fulfilment.api.serializers import (
    FulfilmentTaskSerializer, RequestDecisionSerializer, ServiceRequestCreateSerializer, ServiceRequestSerializer,
)
from fulfilment.choices import RequestState, TaskState
from fulfilment.filtersets import QUEUE_COUNT_CAP
from fulfilment.models import Request, RequestApproval, RequestItem, Task
from incidents.api.serializers import CommentSerializer
from sla.models import SLAClock


def request_queryset(user, *, deciding=False):
    """Everything a request's representation needs, in a constant number of queries. `deciding`:
    the approve action, which also finds the requests naming the caller as an approver."""
    base = Request.objects.visible_or_decidable_by(user) if deciding else Request.objects.visible_to(user)
    return (base.select_related("requested_by", "requested_for")
            .prefetch_related(
                Prefetch("items", queryset=RequestItem.objects.select_related("catalog_item").prefetch_related(
                    Prefetch("approvals", queryset=RequestApproval.objects.select_related("approver")))),
                Prefetch("sla_clocks", queryset=SLAClock.objects.select_related("definition"))))


class RequestFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=RequestState.choices)
    requested_for = django_filters.NumberFilter(field_name="requested_for_id")
    requested_by = django_filters.NumberFilter(field_name="requested_by_id")

    class Meta:
        model = Request
        fields = []


class TaskFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=TaskState.choices)
    assignment_group = django_filters.ModelChoiceFilter(queryset=Team.objects.all())
    assigned_to = django_filters.ModelChoiceFilter(queryset=User.objects.all())
    request = django_filters.CharFilter(method="filter_request", help_text="The request's id or number (REQ0001001).")

    class Meta:
        model = Task
        fields = []

    def filter_request(self, queryset, name, value):
        value = (value or "").strip()
        if value.isdigit():
            return queryset.filter(request_id=int(value))
        return queryset.filter(request__number__iexact=value)


def _answers_error(exc):
    """AnswersInvalid as the contract's 400: {"answers": {...}}, or per line of a cart."""
    if getattr(exc, "index", None) is None:
        return {"answers": exc.errors}
    return {"items": [{} for _i in range(exc.index)] + [{"answers": exc.errors}]}


@extend_schema_view(
    list=extend_schema(description=(
        "Service requests the caller may see: desk staff every one; anyone else those they placed or that "
        "were placed for them. Filters: state (repeatable), requested_for, requested_by; `search`.")),
    create=extend_schema(request=ServiceRequestCreateSerializer,
                         responses={201: ServiceRequestSerializer,
                                    404: inline_serializer("RequestItemNotFound", {"detail": serializers.CharField()})},
                         description=(
        "Order one catalog item (`catalog_item`, `answers`, `quantity`) or several (`items`), for yourself or "
        "for `requested_for`. An item you may not order answers 404. Answers that break the item's form answer "
        "400 naming the field: `{\"answers\": {\"<field>\": [...]}}`, or `{\"items\": [{}, {\"answers\": ...}]}` "
        "for the second line of a cart. Nothing is created unless every line is valid.")),
    partial_update=extend_schema(description=(
        "Cancel (`state: cancelled`, with an optional `reason`) or close (`state: closed`, once fulfilled) the "
        "request, with the `version` you read.")),
)
class ServiceRequestViewSet(TicketViewSet):
    serializer_class = ServiceRequestSerializer
    filterset_class = RequestFilterSet
    ordering_fields = ["created_at", "updated_at", "number", "state"]
    ordering = ["-created_at"]
    search_fields = ["number", "title"]

    def get_queryset(self):
        return request_queryset(self.request.user, deciding=self.action == "approve")

    def create(self, request, *args, **kwargs):
        serializer = ServiceRequestCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("items"):
            lines = [services.OrderLine(line["catalog_item"], line.get("answers"), line.get("quantity", 1))
                     for line in data["items"]]
        else:
            lines = [services.OrderLine(data["catalog_item"], data.get("answers"), data.get("quantity", 1))]
        try:
            created = services.submit_request(request.user, lines=lines, requested_for=data.get("requested_for"),
                                              description=data.get("description", ""), channel=self.channel)
        except AnswersInvalid as exc:
            raise ValidationError(_answers_error(exc)) from None
        except services.NotOrderable:
            raise NotFound() from None
        except services.LineError as exc:
            raise ValidationError({"items": [{} for _i in range(exc.index)]
                                   + [{exc.field or "detail": [str(exc.message)]}]}) from None
        return Response(self.fresh(created.pk), status=status.HTTP_201_CREATED)

    def perform_update_ticket(self, instance, data, version):
        state = data.get("state")
        if state == RequestState.CANCELLED:
            return services.cancel_request(self.request.user, instance, reason=data.get("reason", ""),
                                           version=version, channel=self.channel)
        if state == RequestState.CLOSED:
            return services.close_request(self.request.user, instance, version=version, channel=self.channel)
        raise ValidationError({"state": ["Send state: cancelled or closed."]})

    @extend_schema(request=RequestDecisionSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        """Approve or reject, with a comment, every item of the request whose current stage you may
        decide. A rejection needs its reason. The requester and the person it is for never decide
        (403); a second decision answers 409; a request not awaiting approval 400."""
        service_request = self.get_object()
        serializer = RequestDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.decide(request.user, service_request, channel=self.channel, **serializer.validated_data)
        return Response(self.fresh(service_request.pk))


_REQUEST_PK = OpenApiParameter("request_pk", str, OpenApiParameter.PATH,
                               description="The request's id or number (REQ0001001).")


@extend_schema_view(list=extend_schema(parameters=[_REQUEST_PK]), create=extend_schema(parameters=[_REQUEST_PK]))
class RequestCommentViewSet(TicketCommentViewSet):
    """Comments and work notes of one request; end users never see or write work notes."""

    serializer_class = CommentSerializer
    ticket_model = Request
    ticket_url_kwarg = "request_pk"

    def comment(self, ticket, **kwargs):
        return core_services.add_comment(ticket, **kwargs)


@extend_schema_view(
    list=extend_schema(description=(
        "Fulfilment tasks (desk staff only), newest first. Filters: state (repeatable), assignment_group, "
        "assigned_to, request (id or number); `search`. `count` is exact up to 1,000; past it, it says 1,000 "
        "(at least that many) and `next` is there while more rows follow.")),
    partial_update=extend_schema(description=(
        "Move the task (state), append a note (notes) or assign it (assigned_to), with the `version` you read. "
        "A task of a stage that has not started answers 400; a stale version 409.")),
)
class FulfilmentTaskViewSet(TicketViewSet):
    http_method_names = ["get", "patch", "head", "options"]
    permission_classes = [DeskOnly]
    serializer_class = FulfilmentTaskSerializer
    filterset_class = TaskFilterSet
    ordering_fields = ["created_at", "updated_at", "number", "state", "stage"]
    ordering = ["-created_at", "-id"]
    search_fields = ["number", "title"]
    # The page's ids from the matching partial index (fulfilment_task_*_idx), then its rows; the
    # count stops at QUEUE_COUNT_CAP as the desk queue's does (600,000 tasks: an exact count was
    # most of a page, and counting 10,000 of one group's tasks still reads 10,000 rows).
    page_by_ids = True
    list_paginator_class = search_paginator_class = capped_paginator(QUEUE_COUNT_CAP)

    def get_queryset(self):
        return (Task.objects.select_related("request", "change")
                .prefetch_related(Prefetch("sla_clocks", queryset=SLAClock.objects.select_related("definition"))))

    def perform_update_ticket(self, instance, data, version):
        assigned = data.get("assigned_to", None)
        if "assigned_to" in data and assigned is None:
            assigned = False  # unassign
        return services.update_task(self.request.user, instance, state=data.get("state"), notes=data.get("notes"),
                                    assigned_to=assigned, version=version, channel=self.channel)
