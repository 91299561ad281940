"""Choices for release and deployment management, with badge colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReleaseState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    BUILD = "build", _("Build")
    TEST = "test", _("Test")
    DEPLOY = "deploy", _("Deploy")
    CLOSED = "closed", _("Closed")
    ROLLED_BACK = "rolled_back", _("Rolled back")


TERMINAL_STATES = frozenset({ReleaseState.CLOSED, ReleaseState.ROLLED_BACK})

STATE_BADGES = {
    ReleaseState.PLANNED: "secondary",
    ReleaseState.BUILD: "info",
    ReleaseState.TEST: "warning",
    ReleaseState.DEPLOY: "primary",
    ReleaseState.CLOSED: "success",
    ReleaseState.ROLLED_BACK: "danger",
}


class Environment(models.TextChoices):
    DEVELOPMENT = "development", _("Development")
    TEST = "test", _("Test")
    STAGING = "staging", _("Staging")
    PRODUCTION = "production", _("Production")


class DeploymentState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    ROLLED_BACK = "rolled_back", _("Rolled back")


DEPLOYMENT_BADGES = {
    DeploymentState.PLANNED: "secondary",
    DeploymentState.IN_PROGRESS: "primary",
    DeploymentState.SUCCEEDED: "success",
    DeploymentState.FAILED: "danger",
    DeploymentState.ROLLED_BACK: "warning",
}

# Badge colour of each choice field, read by the `badge` template filter (core_tags) via the model.
BADGE_COLOURS = {"state": STATE_BADGES}
DEPLOYMENT_BADGE_COLOURS = {"state": DEPLOYMENT_BADGES}
