"""Choices for configuration items and relationships, with badge colours beside them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CIStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_USE = "in_use", _("In use")
    MAINTENANCE = "maintenance", _("In maintenance")
    RETIRED = "retired", _("Retired")


# Statuses whose CIs are live: an incident or change can reasonably name them.
ACTIVE_STATUSES = frozenset({CIStatus.PLANNED, CIStatus.IN_USE, CIStatus.MAINTENANCE})

STATUS_BADGES = {
    CIStatus.PLANNED: "info",
    CIStatus.IN_USE: "success",
    CIStatus.MAINTENANCE: "warning",
    CIStatus.RETIRED: "secondary",
}


class Environment(models.TextChoices):
    PRODUCTION = "production", _("Production")
    STAGING = "staging", _("Staging")
    TEST = "test", _("Test")
    DEVELOPMENT = "development", _("Development")


ENVIRONMENT_BADGES = {
    Environment.PRODUCTION: "danger",
    Environment.STAGING: "warning",
    Environment.TEST: "info",
    Environment.DEVELOPMENT: "secondary",
}


class Criticality(models.IntegerChoices):
    """1 is the most critical, as in the impact and priority scales."""

    CRITICAL = 1, _("1 - Critical")
    HIGH = 2, _("2 - High")
    MEDIUM = 3, _("3 - Medium")
    LOW = 4, _("4 - Low")


CRITICALITY_BADGES = {1: "danger", 2: "warning", 3: "info", 4: "secondary"}


class RelationshipType(models.TextChoices):
    """`A <type> B` means A needs B (impact flows from B to A, downstream) for every type in
    DEPENDENCY_TYPES; `connects_to` is a peer link between equals that impact does not follow."""

    DEPENDS_ON = "depends_on", _("depends on")
    RUNS_ON = "runs_on", _("runs on")
    HOSTED_ON = "hosted_on", _("hosted on")
    CONNECTS_TO = "connects_to", _("connects to")
    PART_OF = "part_of", _("part of")


# The relationship types impact analysis walks. REST contract (/work/shared/API.md): "Relationship
# `A depends_on B` (likewise runs_on, hosted_on, part_of): A needs B." connects_to is deliberately
# not a "needs" type: it is a peer (network) link, so downstream/upstream impact, the business
# services a CI affects and change conflicts over shared services never follow it (callers that
# want it anyway pass `types=` explicitly). Ordered for SQL parameters.
DEPENDENCY_TYPES = (
    RelationshipType.DEPENDS_ON.value,
    RelationshipType.RUNS_ON.value,
    RelationshipType.HOSTED_ON.value,
    RelationshipType.PART_OF.value,
)
# Relationship types that are links between peers, not dependencies (drawn, never walked).
PEER_TYPES = (RelationshipType.CONNECTS_TO.value,)

# How the relationship reads from the target's side, for the CI page.
REVERSE_LABELS = {
    RelationshipType.DEPENDS_ON: _("is needed by"),
    RelationshipType.RUNS_ON: _("runs"),
    RelationshipType.HOSTED_ON: _("hosts"),
    RelationshipType.CONNECTS_TO: _("is connected from"),
    RelationshipType.PART_OF: _("contains"),
}


class Direction(models.TextChoices):
    DOWNSTREAM = "downstream", _("Downstream (what needs it)")
    UPSTREAM = "upstream", _("Upstream (what it needs)")


BUSINESS_SERVICE_SLUG = "business_service"

# Badge colour of each choice field, read by the `badge` template filter (core_tags) via the model.
BADGE_COLOURS = {"status": STATUS_BADGES, "environment": ENVIRONMENT_BADGES, "criticality": CRITICALITY_BADGES}
