"""The article list's filters, shared by the API (and the desk list)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from knowledge.choices import ArticleState, Audience, Language
from knowledge.models import Article, KnowledgeCategory


class ArticleFilterSet(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(queryset=KnowledgeCategory.objects.all(), label=_("category"))
    tags = django_filters.CharFilter(method="filter_tags", label=_("tags"),
                                     help_text=_("Comma-separated; every tag must be on the article."))
    language = django_filters.ChoiceFilter(choices=Language.choices, label=_("language"))
    audience = django_filters.ChoiceFilter(choices=Audience.choices, label=_("audience"))
    state = django_filters.ChoiceFilter(choices=ArticleState.choices, label=_("state"))
    service = django_filters.NumberFilter(method="filter_service", label=_("service"))
    needs_review = django_filters.BooleanFilter(label=_("needs review"))

    class Meta:
        model = Article
        fields = ["category", "tags", "language", "audience", "state", "service", "needs_review"]

    def filter_tags(self, queryset, name, value):
        tags = [t.strip().lower() for t in (value or "").split(",") if t.strip()][:10]
        return queryset.filter(tags__contains=tags) if tags else queryset

    def filter_service(self, queryset, name, value):
        from django.db.models import Exists, OuterRef

        linked = Article.services.through.objects.filter(article_id=OuterRef("pk"), configurationitem_id=value)
        return queryset.filter(Exists(linked))
