from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.permissions import DeskOnlyUnseen
from core.api.schema import UNSEEN_404
from core.api.viewsets import TicketViewSet
from documents import selectors, services
from documents.api.serializers import (
    ApproveSerializer, DiffSerializer, DistributionSerializer, DocumentSerializer, DocumentVersionSerializer,
    NewVersionSerializer, TransitionSerializer,
)
from documents.choices import DocumentState
from documents.filtersets import DocumentFilterSet
from documents.models import Distribution, Document


@extend_schema_view(create=extend_schema(extensions={UNSEEN_404: True}))
class DocumentViewSet(TicketViewSet):
    """The document register (DOC…): policies, plans, procedures, architecture documents, ISPs,
    proof-of-concept records, requirements and continuity plans. Desk staff only (404 to anyone
    else). Detail by id or number. A document's text lives in numbered versions
    (`versions/`); approving (by someone other than the version's author) freezes the newest
    version and puts it in force."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    permission_classes = [DeskOnlyUnseen]
    ordering_fields = ["id", "number", "kind", "state", "review_at", "created_at", "updated_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return (Document.objects.visible_to(self.request.user).defer("search_vector")
                .prefetch_related("services", "configuration_items", "changes", "releases",
                                  Prefetch("distribution", queryset=Distribution.objects.order_by("id"))))

    def perform_create_ticket(self, data):
        return services.create_document(**self.actor_kwargs(), **data)

    def perform_update_ticket(self, document, data, version):
        data.pop("body", None)
        return services.update_document(document, **self.actor_kwargs(), changes=data, expected_version=version)

    @extend_schema(request=NewVersionSerializer, responses={200: DocumentVersionSerializer(many=True),
                                                           201: DocumentVersionSerializer})
    @action(detail=True, methods=["get", "post"])
    def versions(self, request, pk=None):
        """GET: the versions, newest first. POST {body, change_summary, version}: write a new
        version text (on an approved document this starts a new draft)."""
        document = self.get_object()
        if request.method == "GET":
            return Response(DocumentVersionSerializer(document.versions.order_by("-number"), many=True).data)
        serializer = NewVersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _doc, version = services.add_version(document, **self.actor_kwargs(), body=data["body"],
                                             change_summary=data["change_summary"],
                                             expected_version=data["version"])
        return Response(DocumentVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses={200: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the document: {state, version} (approving may give the next `review_at`)."""
        document = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.transition_document(document, data["state"], **self.actor_kwargs(),
                                     expected_version=data["version"], review_at=data.get("review_at"))
        return Response(self.fresh(document.pk))

    @extend_schema(request=ApproveSerializer, responses={200: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the document in review: {version} and optionally the next `review_at`."""
        document = self.get_object()
        serializer = ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.transition_document(document, DocumentState.APPROVED, **self.actor_kwargs(),
                                     expected_version=data["version"], review_at=data.get("review_at"))
        return Response(self.fresh(document.pk))

    @extend_schema(request=DistributionSerializer, responses={201: DistributionSerializer})
    @action(detail=True, methods=["post"])
    def distribution(self, request, pk=None):
        """Distribute the document to a team or a person: {team} or {person}, with
        `acknowledgement_required`."""
        document = self.get_object()
        serializer = DistributionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = services.distribute(document, **self.actor_kwargs(), team=data.get("team"),
                                    person=data.get("person"),
                                    acknowledgement_required=data.get("acknowledgement_required", False))
        return Response(DistributionSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: DistributionSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The caller acknowledges the version in force (the document was distributed to them or
        to one of their teams)."""
        document = self.get_object()
        entry = services.acknowledge(document, **self.actor_kwargs())
        return Response(DistributionSerializer(entry).data)

    @extend_schema(parameters=[OpenApiParameter("old", int, required=True), OpenApiParameter("new", int, required=True)],
                   responses={200: DiffSerializer})
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        """The unified diff between two versions (`?old=1&new=2`)."""
        document = self.get_object()
        numbers = {}
        for name in ("old", "new"):
            raw = request.query_params.get(name, "")
            if not raw.isdigit():
                raise ValidationError({name: [_("Give a version number.")]})
            numbers[name] = int(raw)
        old = get_object_or_404(document.versions, number=numbers["old"])
        new = get_object_or_404(document.versions, number=numbers["new"])
        return Response({"old": old.number, "new": new.number, "diff": selectors.diff(old, new)})
