"""ISO/IEC 20000-1 readiness: the evidence packs an auditor samples (built by a Celery worker)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PackState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


PACK_BADGES = {PackState.QUEUED: "secondary", PackState.BUILDING: "info", PackState.READY: "success",
               PackState.FAILED: "danger"}


class EvidencePack(models.Model):
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    # ISO/IEC 20000-1 clause ids (core.clauses); empty means every clause.
    clauses = ArrayField(models.CharField(max_length=10), verbose_name=_("clauses"), default=list, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))  # inclusive
    sample_size = models.PositiveIntegerField(_("sample size"))
    seed = models.CharField(_("seed"), max_length=64)
    language = models.CharField(_("language"), max_length=10, default="en")
    state = models.CharField(_("state"), max_length=20, choices=PackState.choices, default=PackState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent
    file = models.FileField(_("file"), upload_to="iso/packs/", blank=True)
    size_bytes = models.BigIntegerField(_("size"), default=0)
    # The sampled record ids per clause and source, kept so that a second build can be compared.
    sample = models.JSONField(_("sample"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evidence pack")
        verbose_name_plural = _("evidence packs")

    def __str__(self):
        return f"EVP-{self.pk}"

    def get_absolute_url(self):
        return reverse("iso:packs") + f"#pack-{self.pk}"

    @property
    def downloadable(self):
        return self.state == PackState.READY and bool(self.file)

    @property
    def badge(self):
        return PACK_BADGES.get(self.state, "secondary")

    @property
    def clause_label(self):
        return ", ".join(self.clauses) if self.clauses else _("All clauses")
