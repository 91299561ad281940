from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts import roles
from core import services as core_services
from core.api.permissions import DeskWritesOnly
from core.api.viewsets import TicketViewSet
from core.web import parse_id
from incidents.models import Incident
from problems import services
from problems.api.serializers import (
    ApplyKnownErrorSerializer,
    KnownErrorSerializer,
    ProblemSerializer,
    ResolveSerializer,
)
from problems.filtersets import ProblemFilterSet
from problems.models import Problem
from problems.selectors import matching_known_errors, search_problems


def _ids_only(name):
    model = Problem._meta.get_field(name).related_model
    return Prefetch(name, queryset=model._default_manager.only("id").order_by("id"))


class ProblemViewSet(TicketViewSet):
    """Problems: the causes of incidents. Detail by id or number (PRB0001001)."""

    # Problems are desk records: end users see an empty list and 404s (via visible_to).

    serializer_class = ProblemSerializer
    filterset_class = ProblemFilterSet
    permission_classes = [DeskWritesOnly]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ["id", "number", "state", "priority", "created_at", "updated_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return Problem.objects.visible_to(self.request.user).defer("search_vector").prefetch_related(
            *(_ids_only(name) for name in services.available_link_fields())
        )

    def _split(self, data):
        links = {name: [t.pk for t in data.pop(name)] for name in services.LINK_FIELDS if name in data}
        return data, links

    def perform_create_ticket(self, data):
        incidents = list(data.pop("incidents", []))
        data, links = self._split(data)
        if incidents:
            # Raised from incidents: their CIs are linked and each incident records the problem.
            return services.raise_problem_from_incidents(incidents, **self.actor_kwargs(), **links, **data)
        return services.create_problem(**self.actor_kwargs(), **links, **data)

    def perform_update_ticket(self, problem, data, version):
        data, links = self._split(data)
        with transaction.atomic():
            core_services.lock_for_update(problem, version)
            if data:
                problem, _diff = services.update_problem(problem, **self.actor_kwargs(), changes=data,
                                                         expected_version=version)
            for name, ids in links.items():
                problem = services.set_problem_links(problem, field=name, targets=ids, **self.actor_kwargs())
        return problem

    @extend_schema(request=ResolveSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Resolve the problem; with `resolve_incidents` also every open incident it covers."""
        problem = self.get_object()
        params = ResolveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        problem, resolved = services.resolve_problem(
            problem, **self.actor_kwargs(), root_cause=data.get("root_cause") or None,
            resolve_incidents=data["resolve_incidents"], resolution_notes=data["resolution_notes"],
            expected_version=data["version"],
        )
        body = self.get_serializer(self.get_queryset().get(pk=problem.pk)).data
        return Response({**body, "resolved_incidents": [i.pk for i in resolved]})

    @extend_schema(request=ApplyKnownErrorSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"], url_path="apply")
    def apply_known_error(self, request, pk=None):
        """Apply this known error's workaround to an incident (work note) and link the incident."""
        problem = self.get_object()
        params = ApplyKnownErrorSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=params.validated_data["incident"])
        services.apply_known_error(problem, incident, **self.actor_kwargs())
        return Response(self.get_serializer(self.get_queryset().get(pk=problem.pk)).data)

    @extend_schema(
        parameters=[OpenApiParameter("search", str), OpenApiParameter("incident", int,
                    description=_("Known errors matching this incident (CI, service, text)"))],
        responses=KnownErrorSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="known-errors", filterset_class=None,
            serializer_class=KnownErrorSerializer)
    def known_errors(self, request):
        """The known-error database (`?search=` full text), or the matches for `?incident=<id>`."""
        incident_param = request.query_params.get("incident", "")
        if incident_param:
            incident_id = parse_id(incident_param)
            if incident_id is None:
                raise ValidationError({"incident": [_("Give an incident id.")]})
            incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=incident_id)
            if not roles.is_agent(request.user):
                return Response({"count": 0, "next": None, "previous": None, "results": []})
            rows = matching_known_errors(incident, limit=10)
            return Response({"count": len(rows), "next": None, "previous": None,
                             "results": KnownErrorSerializer(rows, many=True).data})
        queryset = Problem.objects.visible_to(request.user).known_errors()
        text = request.query_params.get("search", "")
        queryset = search_problems(queryset, text[:200]) if text.strip() else queryset.order_by("-updated_at", "-id")
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(KnownErrorSerializer(page, many=True).data)
