"""API v1 incidents: viewsets declare their parts; writes go through incidents.services."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from accounts import roles
from core.api.mixins import ApiActorMixin, NumberOrIdLookupMixin
from incidents import services
from incidents.api.serializers import CommentSerializer, IncidentSerializer
from incidents.filtersets import ORDERING_FIELDS, IncidentFilterSet
from incidents.models import Incident
from incidents.paging import CappedCountPaginator, rows_for_ids
from sla.models import SLAClock


def incident_queryset(user):
    return (
        Incident.objects.visible_to(user).with_list_relations()
        .prefetch_related(Prefetch("sla_clocks", queryset=SLAClock.objects.select_related("definition")))
    )


class IncidentViewSet(NumberOrIdLookupMixin, ApiActorMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                      mixins.UpdateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    ordering_fields = ORDERING_FIELDS
    ordering = ["-created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return incident_queryset(self.request.user)

    def paginate_queryset(self, queryset):
        """Page over ids (index-only), then load the page's rows with relations: see incidents.paging."""
        if (self.request.query_params.get("search") or "").strip():
            self.paginator.django_paginator_class = CappedCountPaginator
        ids = super().paginate_queryset(queryset.prefetch_related(None).values_list("pk", flat=True))
        if ids is None:
            return None
        return rows_for_ids(ids, incident_queryset(self.request.user))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        source = data.pop("channel", None)
        serializer.instance = services.open_incident(**self.actor_kwargs(), source=source, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version")
        data.pop("channel", None)
        services.update_incident(serializer.instance, **self.actor_kwargs(), changes=data, expected_version=version)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        fresh = self.get_queryset().get(pk=serializer.instance.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("incident_pk", str, OpenApiParameter.PATH,
                                                    description="The incident's id or number (INC0001001).")]),
    create=extend_schema(parameters=[OpenApiParameter("incident_pk", str, OpenApiParameter.PATH,
                                                      description="The incident's id or number (INC0001001).")]),
)
class IncidentCommentViewSet(ApiActorMixin, mixins.ListModelMixin, mixins.CreateModelMixin,
                             viewsets.GenericViewSet):
    """Comments and work notes of one incident; end users never see or write work notes."""

    serializer_class = CommentSerializer
    filterset_class = None
    filter_backends = []

    def get_incident(self):
        if not hasattr(self, "_incident"):
            key = self.kwargs["incident_pk"]
            lookup = {"pk": int(key)} if key.isdigit() else {"number__iexact": key}
            self._incident = get_object_or_404(Incident.objects.visible_to(self.request.user), **lookup)
        return self._incident

    def get_queryset(self):
        comments = self.get_incident().comments.select_related("author").order_by("created_at", "id")
        if not roles.is_agent(self.request.user):
            comments = comments.filter(internal=False)
        return comments

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.comment(
            self.get_incident(), **self.actor_kwargs(), body=serializer.validated_data.get("body", ""),
            internal=serializer.validated_data.get("internal", False), files=request.FILES.getlist("files"),
        )
        if note is None:
            return Response({"detail": "attached"}, status=status.HTTP_201_CREATED)
        return Response(self.get_serializer(note).data, status=status.HTTP_201_CREATED)
