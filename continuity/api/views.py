"""API of continuity: BCP/DRP plans, their tests and invocations."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from continuity import selectors, services
from continuity.api import serializers as s
from continuity.choices import TestResult
from continuity.models import ContinuityTest, Invocation
from core.api.mixins import AnyKeyLookupMixin, ApiActorMixin
from core.api.permissions import DeskOnly


class PlanFilterSet(django_filters.FilterSet):
    service = django_filters.NumberFilter(field_name="services")
    retest_required = django_filters.BooleanFilter()
    overdue = django_filters.BooleanFilter()
    test_overdue = django_filters.BooleanFilter()


class TestFilterSet(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id")
    result = django_filters.ChoiceFilter(choices=TestResult.choices)


class InvocationFilterSet(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id")


class PlanViewSet(AnyKeyLookupMixin, ApiActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  mixins.CreateModelMixin, viewsets.GenericViewSet):
    """BCP and DRP plans per service; the plan text itself is the document (kind bcp or drp).
    `overdue`: the last test is older than `test_interval_days` (or never tested that long after
    recording). `retest_required`: a major change (emergency or high risk) was implemented on a
    covered service or a CI it needs, and no passing test is recorded since."""

    serializer_class = s.PlanSerializer
    filterset_class = PlanFilterSet
    permission_classes = [DeskOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering_fields = ["id", "next_due", "last_test"]

    def get_queryset(self):
        return selectors.plans().prefetch_related("services")

    def perform_create(self, serializer):
        serializer.instance = services.create_plan(**self.actor_kwargs(), **serializer.validated_data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        plan = self.get_queryset().get(pk=serializer.instance.pk)
        return Response(s.PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        serializer = self.get_serializer(plan, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_plan(plan, **self.actor_kwargs(), changes=dict(serializer.validated_data))
        return Response(s.PlanSerializer(self.get_queryset().get(pk=plan.pk)).data)


class TestViewSet(AnyKeyLookupMixin, ApiActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Tests of continuity plans: date, kind, result, findings and the RTO achieved. A passing test
    (passed, or passed with findings) dated on or after a demanded re-test clears it."""

    queryset = ContinuityTest.objects.order_by("-date", "-id")
    serializer_class = s.TestSerializer
    filterset_class = TestFilterSet
    permission_classes = [DeskOnly]
    ordering_fields = ["id", "date"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        plan = data.pop("plan")
        serializer.instance = services.record_test(plan, **self.actor_kwargs(), **data)


class InvocationViewSet(AnyKeyLookupMixin, ApiActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Times a plan was invoked for real, with the reason and the incident; PATCH `ended` to close one."""

    queryset = Invocation.objects.order_by("-started", "-id")
    serializer_class = s.InvocationSerializer
    filterset_class = InvocationFilterSet
    permission_classes = [DeskOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering_fields = ["id", "started"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        plan = data.pop("plan")
        serializer.instance = services.record_invocation(plan, **self.actor_kwargs(), **data)

    @extend_schema(request=s.InvocationUpdateSerializer, responses={200: s.InvocationSerializer})
    def partial_update(self, request, *args, **kwargs):
        invocation = self.get_object()
        serializer = s.InvocationUpdateSerializer(invocation, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = services.update_invocation(invocation, **self.actor_kwargs(), changes=dict(serializer.validated_data))
        return Response(s.InvocationSerializer(updated).data)
