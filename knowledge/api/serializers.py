from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import VisibleRelationsSerializer
from knowledge.choices import ArticleState
from knowledge.models import Article, ArticleVersion, KnowledgeCategory


class ArticleSerializer(VisibleRelationsSerializer):
    """A knowledge article. `body` is Markdown, `body_html` its sanitised rendering; for a
    published article both are the published version's, whatever draft is in progress."""

    category = serializers.PrimaryKeyRelatedField(queryset=KnowledgeCategory.objects.all(), allow_null=True,
                                                  required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=20)
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    state = serializers.CharField(read_only=True)
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
            "organisations", "services", "configuration_items", "known_errors", "translation_of", "summary",
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
