from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from availability.rules import BadMonth, parse_month
from core.api.mixins import AnyKeyLookupMixin, ApiActorMixin
from core.api.permissions import DeskReadManagerWrite
from publicsla import selectors, services
from publicsla.api.serializers import PublicSlaContractSerializer, EvaluationQuerySerializer, EvaluationSerializer


def _plain_bands(bands):
    return [[float(score), float(penalty)] for score, penalty in bands]


class ContractViewSet(AnyKeyLookupMixin, ApiActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Public-sector SLA contracts with their indicator tables (desk staff read, managers write).
    A table whose scored weights do not add up to 100 %, an availability weight under 30 % or a
    grade outside 1–4 is refused with 400, and nothing is saved."""

    serializer_class = PublicSlaContractSerializer
    permission_classes = [DeskReadManagerWrite]
    filterset_fields = ["system_grade", "active"]
    ordering = ["name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.contracts_queryset()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if "penalty_bands" in data:
            data["penalty_bands"] = _plain_bands(data["penalty_bands"])
        indicators = data.pop("indicators", None)
        serializer.instance = services.create_contract(**self.actor_kwargs(), indicators=indicators, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "penalty_bands" in data:
            data["penalty_bands"] = _plain_bands(data["penalty_bands"])
        indicators = data.pop("indicators", None)
        serializer.instance = services.update_contract(serializer.instance, **self.actor_kwargs(), changes=data,
                                                       indicators=indicators)

    @extend_schema(parameters=[EvaluationQuerySerializer], responses=EvaluationSerializer)
    @action(detail=True, methods=["get"])
    def evaluation(self, request, pk=None):
        """The month's evaluation computed from the records: availability against the grade
        minimum, restore delays and their sanction, the indicator scores, the weighted score and
        the penalty (waived once a year)."""
        contract = self.get_object()
        query = EvaluationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            first = parse_month(query.validated_data["month"])
        except BadMonth:
            raise ValidationError({"month": [_("Give the month as YYYY-MM.")]})
        return Response(EvaluationSerializer(selectors.evaluate(contract, first)).data)
