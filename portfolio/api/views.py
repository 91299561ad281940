from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.mixins import AnyKeyLookupMixin, ApiActorMixin
from core.api.permissions import DeskOnlyUnseen
from core.api.schema import UNSEEN_404
from core.web import parse_id
from portfolio import selectors, services
from portfolio.api.serializers import PortfolioServiceDetailSerializer, PortfolioServiceSerializer
from portfolio.choices import Lifecycle
from portfolio.models import PortfolioService


class PortfolioServiceFilterSet(filters.FilterSet):
    lifecycle = filters.MultipleChoiceFilter(choices=Lifecycle.choices)
    owner = filters.NumberFilter(field_name="owner_id")
    customer = filters.NumberFilter(field_name="customers")

    class Meta:
        model = PortfolioService
        fields = []


@extend_schema_view(create=extend_schema(extensions={UNSEEN_404: True}))
class PortfolioServiceViewSet(AnyKeyLookupMixin, ApiActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The service portfolio: business services of the CMDB with their lifecycle (pipeline, live,
    retired), owner, customers, the SLA definitions that apply, their catalog items and (on the
    detail) their supporting CIs from the CMDB graph. Desk staff only (404 to anyone else)."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [DeskOnlyUnseen]
    filterset_class = PortfolioServiceFilterSet
    ordering_fields = ["id", "lifecycle", "updated_at"]
    ordering = ["service__name", "id"]

    def get_serializer_class(self):
        return PortfolioServiceDetailSerializer if self.action == "retrieve" else PortfolioServiceSerializer

    def get_queryset(self):
        return PortfolioService.objects.select_related("service").prefetch_related("customers")

    def get_object(self):
        pk = parse_id(self.kwargs["pk"])
        entry = get_object_or_404(self.get_queryset(), pk=pk or 0)
        selectors.annotate([entry])
        return entry

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            selectors.annotate(page)
        return page

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        entry = services.create_service(**self.actor_kwargs(), **data)
        return Response(self._fresh(entry.pk), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        serializer = self.get_serializer(entry, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise ValidationError({"version": [_("Send the version you read.")]})
        services.update_service(entry, **self.actor_kwargs(), changes=data, expected_version=version)
        return Response(self._fresh(entry.pk))

    def _fresh(self, pk):
        entry = self.get_queryset().get(pk=pk)
        selectors.annotate([entry])
        return PortfolioServiceSerializer(entry, context=self.get_serializer_context()).data
