"""States, languages and audiences of knowledge articles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    # A version that was published once and has since been replaced by a newer one.
    SUPERSEDED = "superseded", _("Superseded")
    RETIRED = "retired", _("Retired")


# The versions still being worked on: at most one per article.
WORKING_VERSION_STATES = frozenset({VersionState.DRAFT, VersionState.REVIEW, VersionState.APPROVED})


class Language(models.TextChoices):
    KOREAN = "ko", _("Korean")
    ENGLISH = "en", _("English")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone (portal)")
    INTERNAL = "internal", _("Agents only")
    ORGANISATIONS = "organisations", _("Chosen organisations")


class EventKind(models.TextChoices):
    VIEW = "view", _("Viewed")
    DEFLECTION = "deflection", _("Solved without a ticket")
    USE = "use", _("Used in a resolution")
    SHOWN = "shown", _("Shown before a ticket was filed")


BADGE_COLOURS = {
    ArticleState.DRAFT: "secondary",
    ArticleState.REVIEW: "info",
    ArticleState.PUBLISHED: "success",
    ArticleState.RETIRED: "dark",
}
