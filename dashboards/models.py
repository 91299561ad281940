"""Records of dashboards: the pre-aggregated figures of the manager dashboard."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardSnapshot(models.Model):
    """The figures of one pre-aggregated dashboard as of `refreshed_at`, with the links behind
    them, written by the Celery beat task `dashboards.tasks.refresh` (dashboards.manager).

    A million incidents cannot be counted twelve ways per page view within 300 ms; the manager
    dashboard reads this one row instead and says how old it is ("figures as of 06:40").
    """

    name = models.CharField(_("dashboard"), max_length=30, unique=True)
    data = models.JSONField(_("figures"), default=dict)
    refreshed_at = models.DateTimeField(_("refreshed"))
    duration_ms = models.PositiveIntegerField(_("refresh duration (ms)"), default=0)

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self):
        return f"{self.name} @ {self.refreshed_at:%Y-%m-%d %H:%M}"
