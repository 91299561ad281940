"""Capacity: a CI's utilisation metrics (one row per CI and key) and their raw samples.

Samples may arrive every minute, so they are kept raw with a (metric, at) index and the CI page
reads a daily rollup computed in PostgreSQL (capacity.selectors), never the raw rows.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from capacity.choices import LEVEL_BADGES, Level


class Metric(models.Model):
    """What is measured on a CI (cpu_percent, disk_used_gb, licences_used ...), its capacity
    and the thresholds that raise a monitoring event."""

    ci = models.ForeignKey("cmdb.ConfigurationItem", verbose_name=_("configuration item"), on_delete=models.CASCADE,
                           related_name="capacity_metrics")
    key = models.SlugField(_("metric"), max_length=80, help_text=_("e.g. cpu_percent, disk_used_gb, licences_used"))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    maximum = models.FloatField(_("capacity"), null=True, blank=True, validators=[MinValueValidator(0)],
                                help_text=_("The value at which the resource is full (100 for a percentage)."))
    warning_threshold = models.FloatField(_("warning threshold"), null=True, blank=True)
    critical_threshold = models.FloatField(_("critical threshold"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.OK, editable=False)
    level_since = models.DateTimeField(_("level since"), null=True, blank=True, editable=False)
    last_value = models.FloatField(_("last value"), null=True, blank=True, editable=False)
    last_at = models.DateTimeField(_("last sample"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    badge_colours = {"level": LEVEL_BADGES}

    class Meta:
        verbose_name = _("capacity metric")
        verbose_name_plural = _("capacity metrics")
        ordering = ["ci__name", "key"]
        constraints = [
            models.UniqueConstraint(fields=["ci", "key"], name="capacity_metric_ci_key_unique"),
            models.CheckConstraint(
                condition=Q(warning_threshold__isnull=True) | Q(critical_threshold__isnull=True)
                | Q(warning_threshold__lte=F("critical_threshold")),
                name="capacity_metric_warning_below_critical"),
        ]

    def __str__(self):
        return f"{self.ci} · {self.key}"

    @property
    def used_percent(self):
        if self.maximum and self.last_value is not None:
            return round(100 * self.last_value / self.maximum, 1)
        return None


class MetricSample(models.Model):
    """One reading. No audit row per sample (they are measurements, like monitoring events);
    who sent them is the API token's user, kept in `submitted_by`."""

    metric = models.ForeignKey(Metric, verbose_name=_("metric"), on_delete=models.CASCADE, related_name="samples")
    at = models.DateTimeField(_("measured at"))
    value = models.FloatField(_("value"))
    submitted_by = models.ForeignKey("accounts.User", verbose_name=_("submitted by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("metric sample")
        verbose_name_plural = _("metric samples")
        indexes = [models.Index(fields=["metric", "at"], name="capacity_sample_metric_at_idx")]

    def __str__(self):
        return f"{self.metric_id} {self.at:%Y-%m-%d %H:%M} {self.value}"
