"""API v1 catalog. Everyone signed in reads what they may order (an item they may not order is a
404); desk staff read everything, inactive items included; catalog managers write, through
catalog.services (a stale `version` answers 409, a broken form 400 naming the problem)."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from rest_framework import mixins, permissions, viewsets

from accounts import roles
from accounts.permissions import can_manage_catalog
from catalog import services
from catalog.api.serializers import CatalogItemSerializer, CategorySerializer
from catalog.filtersets import CatalogItemFilterSet
from catalog.models import CatalogItem, Category, ItemApprovalStage
from core.api.mixins import ApiActorMixin


class CatalogReadManagerWrite(permissions.BasePermission):
    """Everyone signed in reads (the queryset says what); catalog managers write."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or can_manage_catalog(request.user)


# The service's names of what the API calls otherwise.
API_NAMES = {"form_schema": "form", "approval_stages": "approval", "task_templates": "fulfilment_plan"}


def _api_errors(exc):
    """The service's refusal with the API's field names (the form schema is `form` here)."""
    if hasattr(exc, "error_dict"):
        renamed = {API_NAMES.get(key, key): value for key, value in exc.message_dict.items()}
        return ValidationError(renamed)
    return exc


class CatalogViewSet(ApiActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    permission_classes = [CatalogReadManagerWrite]
    # Any key reaches the view, so a malformed one ("1.5e-3") is the API's JSON 404, not a page's.
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        self._save(serializer, None)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


class CategoryViewSet(CatalogViewSet):
    queryset = Category.objects.all()  # the model, for the schema; get_queryset narrows it
    serializer_class = CategorySerializer
    filterset_fields = ["parent", "active"]
    ordering_fields = ["order", "name"]

    def get_queryset(self):
        categories = Category.objects.order_by("order", "name", "id")
        return categories if roles.is_agent(self.request.user) else categories.filter(active=True)

    def _save(self, serializer, instance):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        try:
            serializer.instance = services.save_category(instance, **self.actor_kwargs(), fields=data,
                                                         expected_version=version)
        except ValidationError as exc:
            raise _api_errors(exc) from exc


class CatalogItemViewSet(CatalogViewSet):
    queryset = CatalogItem.objects.all()  # the model, for the schema; get_queryset narrows it
    serializer_class = CatalogItemSerializer
    filterset_class = CatalogItemFilterSet
    ordering_fields = ["name", "times_ordered", "updated_at"]

    def get_queryset(self):
        user = self.request.user
        items = CatalogItem.objects.all() if roles.is_agent(user) else CatalogItem.objects.orderable_by(user)
        items = items.select_related("category").prefetch_related(
            Prefetch("approval_stages", queryset=ItemApprovalStage.objects.order_by("order")),
            "organisations", "groups")
        if roles.is_agent(user):
            items = items.prefetch_related("task_templates")
        return items.order_by("category__order", "name", "id")

    def _save(self, serializer, instance):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        organisations, groups = data.pop("organisations", None), data.pop("groups", None)
        stages, steps = data.pop("approval_stages", None), data.pop("task_templates", None)
        try:
            serializer.instance = services.save_item(
                instance, **self.actor_kwargs(), fields=data, organisations=organisations, groups=groups,
                approval_stages=[dict(row) for row in stages] if stages is not None else None,
                task_templates=[dict(row) for row in steps] if steps is not None else None,
                expected_version=version)
        except ValidationError as exc:
            raise _api_errors(exc) from exc
