from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from accounts import roles
from core.api.mixins import ApiActorMixin, NumberOrIdLookupMixin
from core.api.permissions import DeskCreates
from knowledge import selectors, services, usage
from knowledge.api.serializers import (
    ArticleSerializer,
    ArticleVersionDetailSerializer,
    ArticleVersionSerializer,
    FeedbackAnswerSerializer,
    FeedbackSerializer,
    ReviewSerializer,
    VersionSerializer,
)
from knowledge.filtersets import ArticleFilterSet
from knowledge.models import Article

LINKS = ("organisations", "services", "configuration_items", "known_errors")


def _ids_only(name):
    model = Article._meta.get_field(name).related_model
    return Prefetch(name, queryset=model._default_manager.only("id").order_by("id"))


class ArticleViewSet(NumberOrIdLookupMixin, ApiActorMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                     mixins.UpdateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Knowledge articles. Detail by id or number (KB0001001). End users see published articles
    of their audience only (404 otherwise); desk staff see every state and write drafts."""

    serializer_class = ArticleSerializer
    filterset_class = ArticleFilterSet
    permission_classes = [DeskCreates]
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering_fields = ["id", "number", "title", "published_at", "updated_at", "view_count"]
    ordering = ["-updated_at", "-id"]

    def get_queryset(self):
        return (Article.objects.visible_to(self.request.user).defer("search_vector")
                .select_related("working_version").prefetch_related(*(_ids_only(name) for name in LINKS)))

    @extend_schema(parameters=[OpenApiParameter("search", str, description=_(
        "Full text over title, summary, tags and body, Korean inflections included; best match first."))])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        text = (self.request.query_params.get("search") or "")[:200]
        if text.strip() and self.action == "list":
            ranked = selectors.rank_by(queryset, text)
            queryset = ranked if ranked is not None else queryset.none()
        return queryset

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        text = (self.request.query_params.get("search") or "").strip()
        if text and page is not None and not page and self.paginator.page.number == 1:
            selectors.record_search_miss(text[:200])
        return page

    def _split(self, data):
        return {k: ([getattr(v, "pk", v) for v in data[k]] if k in LINKS else data[k])
                for k in data}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        title = data.pop("title")
        serializer.instance = services.create_article(**self.actor_kwargs(), title=title, **self._split(data))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self.fresh(serializer.instance.pk), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        article = self.get_object()
        if not roles.is_agent(request.user):
            self.permission_denied(request, message=_("Only service desk staff can write knowledge articles."))
        serializer = self.get_serializer(article, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise ValidationError({"version": [_("Send the version you read.")]})
        services.update_article(article, **self.actor_kwargs(), changes=self._split(data), expected_version=version)
        return Response(self.fresh(article.pk))

    def fresh(self, pk):
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    def _desk_article(self):
        """The article for a desk action: 404 to whoever may not see it, 403 to end users."""
        article = self.get_object()
        if not roles.is_agent(self.request.user):
            self.permission_denied(self.request, message=_("Only service desk staff can do this."))
        return article

    def _act(self, request, service, serializer_class=VersionSerializer, **extra):
        article = self._desk_article()
        params = serializer_class(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        service(article, **self.actor_kwargs(), expected_version=data.pop("version", None), **data, **extra)
        return Response(self.fresh(article.pk))

    @extend_schema(request=VersionSerializer, responses=ArticleSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the version being worked on (refused without a reviewer's approval where one is required)."""
        return self._act(request, services.publish)

    @extend_schema(request=VersionSerializer, responses=ArticleSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the draft for review."""
        return self._act(request, services.submit_for_review)

    @extend_schema(request=ReviewSerializer, responses=ArticleSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the version in review (a reviewer other than its author)."""
        return self._act(request, services.approve, ReviewSerializer)

    @extend_schema(request=ReviewSerializer, responses=ArticleSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        """Send the version in review back to its author with a comment."""
        return self._act(request, services.send_back, ReviewSerializer)

    @extend_schema(request=VersionSerializer, responses=ArticleSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        """Retire the article (its versions are kept)."""
        return self._act(request, services.retire)

    @extend_schema(responses=ArticleVersionSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def versions(self, request, pk=None):
        """Every version of the article, oldest first (desk staff)."""
        article = self._desk_article()
        return Response(ArticleVersionSerializer(services.versions_of(article), many=True).data)

    @extend_schema(responses=ArticleVersionDetailSerializer)
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>\d+)", filterset_class=None)
    def version(self, request, pk=None, number=None):
        """One version with its body (desk staff)."""
        article = self._desk_article()
        found = article.versions.filter(number=int(number[:9])).first()
        if found is None:
            raise NotFound()
        return Response(ArticleVersionDetailSerializer(found).data)

    @extend_schema(parameters=[OpenApiParameter("from", int, required=True), OpenApiParameter("to", int, required=True)],
                   responses={200: {"type": "object", "properties": {"diff": {"type": "string"}}}})
    @action(detail=True, methods=["get"], filterset_class=None)
    def diff(self, request, pk=None):
        """The unified diff between two versions (desk staff)."""
        article = self._desk_article()
        try:
            v1, v2 = int(request.query_params.get("from", "")), int(request.query_params.get("to", ""))
        except ValueError:
            raise ValidationError({"from": [_("Give two version numbers: from and to.")]}) from None
        return Response({"diff": services.diff(article, v1, v2)})

    @extend_schema(request=FeedbackSerializer, responses={201: FeedbackAnswerSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def feedback(self, request, pk=None):
        """Say whether a published article helped, with an optional comment."""
        article = self.get_object()
        params = FeedbackSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        usage.give_feedback(article, user=request.user, **params.validated_data)
        article.refresh_from_db(fields=["helpful_count", "not_helpful_count"])
        return Response({"helpful_count": article.helpful_count, "not_helpful_count": article.not_helpful_count},
                        status=status.HTTP_201_CREATED)

