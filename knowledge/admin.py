"""Knowledge categories are configuration (administrators keep them here); articles are written
through the services on the desk, so the admin only shows them."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from knowledge.models import Article, KnowledgeCategory


@admin.register(KnowledgeCategory)
class KnowledgeCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ko", "order", "active"]
    list_editable = ["order", "active"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "language", "audience", "state", "needs_review", "view_count", "updated_at"]
    list_filter = ["state", "language", "audience", "needs_review", "category"]
    search_fields = ["number", "title"]
    list_select_related = ["category"]
    exclude = ["search_vector"]
