"""Knowledge management: articles that answer people before they file a ticket and help
agents resolve the ones they do (ITIL knowledge management; ISO/IEC 20000-1 7.5.4, 8.6.3).

An article row carries what readers see: its published content (or, before the first
publication, the working draft). Every edit is an ArticleVersion; editing a published article
opens a new working version while readers keep the published one until it is published.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts import roles
from core.search import SearchFields
from knowledge.choices import (
    BADGE_COLOURS, ArticleState, Audience, EventKind, Language, VersionState,
)


class KnowledgeCategory(models.Model):
    """A shelf of the knowledge base (network, accounts, printing ...), named in both languages."""

    name = models.CharField(_("name (English)"), max_length=150)
    name_ko = models.CharField(_("name (Korean)"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("knowledge category")
        verbose_name_plural = _("knowledge categories")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if (get_language() or "").startswith("ko"):
            return self.name_ko or self.name
        return self.name or self.name_ko


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The start of every article list, page, search and API queryset.

        Desk staff see every article in every state; an end user sees published articles whose
        audience includes them (everyone, or their organisation); anybody else sees nothing.
        """
        if roles.is_agent(user):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(state=ArticleState.PUBLISHED).filter(self.audience_condition(user))

    @staticmethod
    def audience_condition(user):
        condition = Q(audience=Audience.PUBLIC)
        if getattr(user, "organisation_id", None):
            # EXISTS rather than a join: one row per article, whatever the organisations.
            chosen = Article.organisations.through.objects.filter(
                article_id=OuterRef("pk"), organisation_id=user.organisation_id
            )
            condition |= Q(audience=Audience.ORGANISATIONS) & Exists(chosen)
        return condition

    def published(self):
        return self.filter(state=ArticleState.PUBLISHED)


class Article(models.Model):
    """A knowledge article: a how-to, an FAQ, a policy or a known error's workaround."""

    NUMBER_PREFIX = "KB"
    badge_colours = BADGE_COLOURS
    # Title first, then the summary and tags, then the body (core.search; ranked).
    SEARCH_FIELDS = SearchFields(
        (("number", "title"), "A"), (("summary", "tags_text"), "B"), (("body",), "C"),
        ranked=True, also_match=(("number", "iexact"),), max_terms=12,
    )
    AUDIT_EXCLUDE = frozenset({"updated_at", "version", "search_vector", "body_html", "tags_text"})

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    # Rendered and sanitised once per save (knowledge.rendering): pages and the API serve it as is.
    body_html = models.TextField(_("body (HTML)"), blank=True, editable=False)
    category = models.ForeignKey(KnowledgeCategory, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="articles")
    tags = ArrayField(models.CharField(max_length=50), verbose_name=_("tags"), default=list, blank=True)
    # The tags as words for the search document (an array has no tsvector of its own).
    tags_text = models.CharField(max_length=1000, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.KOREAN)
    translation_of = models.ForeignKey("self", verbose_name=_("translation of"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="translations")
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC)
    organisations = models.ManyToManyField("accounts.Organisation", verbose_name=_("organisations"),
                                           blank=True, related_name="kb_articles")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="owned_kb_articles")
    services = models.ManyToManyField("cmdb.ConfigurationItem", verbose_name=_("services"), blank=True,
                                      related_name="kb_articles_for_service")
    configuration_items = models.ManyToManyField("cmdb.ConfigurationItem", verbose_name=_("configuration items"),
                                                 blank=True, related_name="kb_articles")
    known_errors = models.ManyToManyField("problems.Problem", verbose_name=_("known errors"), blank=True,
                                          related_name="kb_articles")
    # Set on the article a known error publishes (knowledge.known_errors): the problem keeps it
    # up to date and retires it; articles that merely cite a known error use `known_errors`.
    known_error_of = models.OneToOneField("problems.Problem", verbose_name=_("published from known error"),
                                          null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="kb_article", editable=False)
    incidents = models.ManyToManyField("incidents.Incident", verbose_name=_("incidents"), blank=True,
                                       related_name="kb_articles")
    state = models.CharField(_("state"), max_length=20, choices=ArticleState.choices, default=ArticleState.DRAFT)
    published_version = models.ForeignKey("ArticleVersion", verbose_name=_("published version"), null=True,
                                          blank=True, on_delete=models.SET_NULL, related_name="+")
    # The version being worked on (draft, in review or approved), if any.
    working_version = models.ForeignKey("ArticleVersion", verbose_name=_("working version"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    review_at = models.DateTimeField(_("review date"), null=True, blank=True)
    needs_review = models.BooleanField(_("needs review"), default=False)
    reviewer_required = models.BooleanField(_("reviewer required"), default=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    helpful_count = models.PositiveIntegerField(_("helpful"), default=0)
    not_helpful_count = models.PositiveIntegerField(_("not helpful"), default=0)
    deflection_count = models.PositiveIntegerField(_("deflections"), default=0)
    use_count = models.PositiveIntegerField(_("uses in resolutions"), default=0)
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="created_kb_articles")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        indexes = [
            # Search (core.search) and the tag filter.
            GinIndex(fields=["search_vector"], name="kb_article_search_idx"),
            GinIndex(fields=["tags"], name="kb_article_tags_idx"),
            # The portal's lists: published articles of one language, newest or most viewed first.
            models.Index(fields=["state", "language", "-published_at"], name="kb_article_state_lang_idx"),
            models.Index(fields=["state", "-view_count"], name="kb_article_popular_idx"),
            # The review sweep: published articles whose review date has passed.
            models.Index(fields=["review_at"], name="kb_article_review_idx",
                         condition=Q(state="published", needs_review=False)),
        ]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("knowledge:article_detail", args=[self.pk])

    @property
    def is_published(self):
        return self.state == ArticleState.PUBLISHED


class ArticleVersion(models.Model):
    """One version of an article's content, numbered 1..n; none is ever deleted."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version number"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("body"), blank=True)
    body_html = models.TextField(_("body (HTML)"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=20, choices=VersionState.choices, default=VersionState.DRAFT)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["article", "number"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="kb_version_number_unique"),
        ]

    def __str__(self):
        return f"{self.article.number} v{self.number}"


class ArticleFeedback(models.Model):
    """A reader's verdict on an article: helpful or not, with an optional comment."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")
        indexes = [models.Index(fields=["article", "-created_at"], name="kb_feedback_article_idx")]

    def __str__(self):
        return f"{self.article_id} {'+' if self.helpful else '-'}"


class KnowledgeEvent(models.Model):
    """A usage fact: an article viewed, one that solved a problem without a ticket, one used to
    resolve a ticket, or one shown to somebody who filed a ticket anyway."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    # The ticket it was used for or shown with, by its number (incidents, requests ...).
    ticket_number = models.CharField(_("ticket"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("knowledge usage")
        verbose_name_plural = _("knowledge usage")
        indexes = [
            models.Index(fields=["article", "kind", "-created_at"], name="kb_event_article_idx"),
            models.Index(fields=["ticket_number"], name="kb_event_ticket_idx", condition=~Q(ticket_number="")),
        ]

    def __str__(self):
        return f"{self.article_id} {self.kind}"


class SearchMiss(models.Model):
    """A search that found nothing: what people look for and the knowledge base lacks."""

    query = models.CharField(_("search terms"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("times"), default=1)
    last_at = models.DateTimeField(_("last searched"), default=timezone.now)

    class Meta:
        ordering = ["-count", "-last_at"]
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")

    def __str__(self):
        return self.query
