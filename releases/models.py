"""Release and deployment management: a release bundles changes deployed together; each
deployment moves it into one environment."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Ticket
from core.tickets import Lifecycle
from releases import workflow
from releases.choices import (
    BADGE_COLOURS,
    DEPLOYMENT_BADGE_COLOURS,
    DeploymentState,
    Environment,
    ReleaseState,
)


class Release(Ticket):
    """A set of changes built, tested and deployed together under one version label."""

    NUMBER_PREFIX = "REL"
    badge_colours = BADGE_COLOURS
    EDITABLE_FIELDS = frozenset({"title", "description", "version_label", "planned_date", "assignment_group",
                                 "assigned_to", "test_summary", "tests_passed"})
    SEARCH_FIELDS = ("number", "title", "version_label")
    # A rolled-back release goes back to build: open, not terminal.
    lifecycle = Lifecycle(
        states=ReleaseState, initial={ReleaseState.PLANNED}, resolved=(), terminal={ReleaseState.CLOSED},
        workflow=workflow,
    )

    version_label = models.CharField(_("version"), max_length=60)
    state = models.CharField(_("state"), max_length=20, choices=ReleaseState.choices, default=ReleaseState.PLANNED)
    changes = models.ManyToManyField("changes.Change", verbose_name=_("changes"), blank=True,
                                     related_name="releases")
    planned_date = models.DateTimeField(_("planned production date"), null=True, blank=True)
    # Readiness: the test evidence must be recorded before production.
    test_summary = models.TextField(_("test results"), blank=True)
    tests_passed = models.BooleanField(_("tests passed"), default=False)
    rollback_reason = models.TextField(_("rollback reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        indexes = [
            # The list page's filter and order; the calendar by date.
            models.Index(fields=["state", "-created_at"], name="releases_state_created_idx"),
            models.Index(fields=["planned_date"], name="releases_planned_date_idx"),
        ]

    def get_absolute_url(self):
        return reverse("releases:release_detail", args=[self.pk])


class Deployment(models.Model):
    """Moving a release into one environment, with its outcome and times."""

    badge_colours = DEPLOYMENT_BADGE_COLOURS

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="deployments")
    environment = models.CharField(_("environment"), max_length=20, choices=Environment.choices)
    state = models.CharField(_("state"), max_length=20, choices=DeploymentState.choices,
                             default=DeploymentState.PLANNED)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["release", "created_at", "id"]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")

    def __str__(self):
        return f"{self.release_id} → {self.get_environment_display()} ({self.get_state_display()})"
