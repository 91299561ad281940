"""API v1 supplier management: suppliers, contracts (with their alignment warnings), disputes and
quarterly scorecards. Desk staff read; managers and administrators write; to end users none of it
exists (404). Writes go through suppliers.services."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import roles
from cmdb.models import ConfigurationItem
from core.api.mixins import AnyKeyLookupMixin, ApiActorMixin
from core.api.schema import UNSEEN_404
from suppliers import scoring, selectors, services
from suppliers.api.serializers import (
    ContractSerializer,
    DisputeSerializer,
    QuarterQuerySerializer,
    ScorecardSerializer,
    SupplierSerializer,
)
from suppliers.choices import ContractKind, DisputeState
from suppliers.models import Contract, Dispute, Supplier


class DeskReadManagerWriteUnseen(permissions.BasePermission):
    """Desk staff read, managers write; end users are told nothing exists (404)."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if not roles.is_agent(request.user):
            raise exceptions.NotFound()
        return request.method in permissions.SAFE_METHODS or roles.is_manager(request.user)


class SupplierFilterSet(django_filters.FilterSet):
    class Meta:
        model = Supplier
        fields = ["active", "internal", "team"]


class ContractFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=ContractKind.choices)
    service = django_filters.ModelChoiceFilter(field_name="services", queryset=ConfigurationItem.objects.all())
    expiring_within = django_filters.NumberFilter(method="filter_expiring", min_value=0, max_value=36500,
                                                  label="Ending within this many days (still running)")

    class Meta:
        model = Contract
        fields = ["supplier", "kind", "service", "expiring_within"]

    def filter_expiring(self, queryset, name, value):
        return queryset.expiring_within(int(value))


class DisputeFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=DisputeState.choices)
    supplier = django_filters.NumberFilter(field_name="contract__supplier")

    class Meta:
        model = Dispute
        fields = ["contract", "supplier", "state"]


# End users get 404 from every operation, creating included (the lists and details say so already).
UNSEEN_CREATE = extend_schema_view(create=extend_schema(extensions={UNSEEN_404: True}))


class WritesThroughServices(ApiActorMixin):
    save = None

    def perform_create(self, serializer):
        serializer.instance = self.write(None, dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self.write(serializer.instance, dict(serializer.validated_data))


@UNSEEN_CREATE
class SupplierViewSet(AnyKeyLookupMixin, WritesThroughServices, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Suppliers and internal groups bound by OLAs, with their contacts."""

    queryset = Supplier.objects.prefetch_related("contacts").order_by("name", "id")
    serializer_class = SupplierSerializer
    permission_classes = [DeskReadManagerWriteUnseen]
    filterset_class = SupplierFilterSet
    search_fields = ["name", "business_number"]
    ordering_fields = ["id", "name", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def write(self, supplier, data):
        version = data.pop("version", None)
        contacts = data.pop("contacts", None)
        return services.save_supplier(supplier, **self.actor_kwargs(), fields=data, contacts=contacts,
                                      expected_version=version)

    @extend_schema(parameters=[QuarterQuerySerializer], responses=ScorecardSerializer, description=(
        "The supplier's scorecard for a quarter (?quarter=2026Q3, the current one when left out): tickets "
        "assigned to its group, SLA clocks met and breached on them, mean restore time, disputes, score."))
    @action(detail=True, methods=["get"])
    def scorecard(self, request, pk=None):
        supplier = self.get_object()
        query = QuarterQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        quarter = query.validated_data.get("quarter") or scoring.quarter_of(timezone.localdate())
        return Response(ScorecardSerializer(selectors.supplier_scorecard(supplier, quarter)).data)

    @extend_schema(responses=DisputeSerializer(many=True), description="The dispute log of the supplier's contracts.")
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def disputes(self, request, pk=None):
        supplier = self.get_object()
        return Response(DisputeSerializer(selectors.disputes_for(supplier), many=True).data)


@UNSEEN_CREATE
class ContractViewSet(AnyKeyLookupMixin, WritesThroughServices, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Contracts: SLAs, OLAs and underpinning contracts. `?expiring_within=90` lists those still
    running that end within 90 days."""

    serializer_class = ContractSerializer
    permission_classes = [DeskReadManagerWriteUnseen]
    filterset_class = ContractFilterSet
    search_fields = ["title", "reference", "supplier__name"]
    ordering_fields = ["id", "end", "start", "created_at"]
    ordering = ["end", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.contract_queryset().order_by("end", "id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # The alignment check of the whole page at once (a fixed number of queries).
        self._warnings = selectors.alignment_warnings(page if page is not None else queryset)
        return page

    def get_serializer_context(self):
        context = super().get_serializer_context()
        warnings = getattr(self, "_warnings", None)
        if warnings is not None:
            context["warnings"] = warnings
        return context

    def write(self, contract, data):
        version = data.pop("version", None)
        m2m = {name: data.pop(name) for name in ("services", "documents") if name in data}
        targets = data.pop("targets", None)
        saved = services.save_contract(contract, **self.actor_kwargs(), fields=data, targets=targets,
                                       expected_version=version, **m2m)
        return selectors.contract_queryset().get(pk=saved.pk)


@UNSEEN_CREATE
class DisputeViewSet(AnyKeyLookupMixin, WritesThroughServices, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The dispute log: disagreements with suppliers over a contract, until resolved."""

    queryset = Dispute.objects.select_related("contract").order_by("-raised_on", "-id")
    serializer_class = DisputeSerializer
    permission_classes = [DeskReadManagerWriteUnseen]
    filterset_class = DisputeFilterSet
    search_fields = ["subject"]
    ordering_fields = ["id", "raised_on"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def write(self, dispute, data):
        version = data.pop("version", None)
        return services.save_dispute(dispute, **self.actor_kwargs(), fields=data, expected_version=version)


