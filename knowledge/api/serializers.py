from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import VisiblePrimaryKeyRelatedField
from core.api.serializers import VisibleRelationsSerializer
from accounts.models import Organisation
from cmdb.models import ConfigurationItem
from knowledge.choices import ArticleState
from problems.models import Problem
from knowledge.models import Article, ArticleVersion, KnowledgeCategory


class LinkIdsField(serializers.ManyRelatedField):
    """A many-to-many link as a list of ids. Read from the `<name>_ids` array the viewset's queryset
    annotates (one query for every link of every row, instead of one prefetch per link); written
    as ids looked up in what the caller may see, like every relation of the API."""

    def get_attribute(self, instance):
        ids = getattr(instance, f"{self.field_name}_ids", None)
        return ids if ids is not None else super().get_attribute(instance)

    def to_representation(self, iterable):
        return [value if isinstance(value, int) else value.pk for value in iterable]


def _links(model):
    return LinkIdsField(child_relation=VisiblePrimaryKeyRelatedField(queryset=model.objects.all()), required=False)


class ArticleSerializer(VisibleRelationsSerializer):
    """A knowledge article. `body` is Markdown, `body_html` its sanitised rendering; for a
    published article both are the published version's, whatever draft is in progress."""

    category = VisiblePrimaryKeyRelatedField(queryset=KnowledgeCategory.objects.all(), allow_null=True,
                                                  required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=20)
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    state = serializers.CharField(read_only=True)
    organisations = _links(Organisation)
    services = _links(ConfigurationItem)
    configuration_items = _links(ConfigurationItem)
    known_errors = _links(Problem)
    working_version = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Send the version you read; a stale one answers 409.")
    )

    class Meta:
        model = Article
        fields = [
            "id", "number", "title", "summary", "body", "body_html", "category", "tags", "language", "audience",
            "organisations", "state", "published_at", "review_at", "needs_review", "reviewer_required",
            "services", "configuration_items", "known_errors", "translation_of", "owner", "working_version",
            "view_count", "helpful_count", "not_helpful_count", "updated_at", "version",
        ]
        read_only_fields = ["number", "body_html", "published_at", "needs_review", "owner", "view_count",
                            "helpful_count", "not_helpful_count", "updated_at"]
        extra_kwargs = {name: {"required": False} for name in (
            "translation_of", "summary",
            "language", "audience", "review_at", "reviewer_required")}

    def get_working_version(self, obj) -> int | None:
        """The number of the version being worked on (desk only), if any."""
        request = self.context.get("request")
        from accounts import roles

        if request is None or not roles.is_agent(request.user) or obj.working_version_id is None:
            return None
        return obj.working_version.number if obj.working_version else None


class ArticleVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ArticleVersion
        fields = ["number", "title", "summary", "state", "author", "reviewed_by", "reviewed_at", "review_comment",
                  "created_at", "published_at"]
        read_only_fields = fields


class ArticleVersionDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = ArticleVersion
        fields = [*ArticleVersionSerializer.Meta.fields, "body", "body_html"]
        read_only_fields = fields


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False,
                                       help_text=_("The article version you read; a stale one answers 409."))


class ReviewSerializer(VersionSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class FeedbackSerializer(serializers.Serializer):
    helpful = serializers.BooleanField(required=True, allow_null=False)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class FeedbackAnswerSerializer(serializers.Serializer):
    helpful_count = serializers.IntegerField()
    not_helpful_count = serializers.IntegerField()


PUBLISHED = ArticleState.PUBLISHED
