"""Availability (ISO/IEC 20000-1 8.7.1): outages per service and each service's availability
settings (service hours, how planned maintenance counts, targets)."""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from availability.choices import OutageSource, PlannedPolicy


class TsTzRange(Func):
    """tstzrange(start, end, '[)'): an open outage (no end) runs to infinity."""

    function = "TSTZRANGE"
    template = "%(function)s(%(expressions)s, '[)')"


PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class ServiceAvailability(models.Model):
    """How one business service's availability is measured: its service hours (a business
    calendar; none means 24×7), whether planned maintenance counts as downtime, and its targets.
    A service without a row is measured 24×7 with the defaults of availability.conf."""

    service = models.OneToOneField("cmdb.ConfigurationItem", verbose_name=_("service"), on_delete=models.CASCADE,
                                   related_name="availability_settings")
    calendar = models.ForeignKey("sla.BusinessCalendar", verbose_name=_("service hours"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text=_("Empty: the service is measured 24×7."))
    planned_policy = models.CharField(_("planned maintenance"), max_length=10, choices=PlannedPolicy.choices,
                                      default=PlannedPolicy.EXCLUDE)
    target_percent = models.DecimalField(_("availability target (%)"), max_digits=7, decimal_places=4,
                                         default=99.5, validators=PERCENT)
    warning_percent = models.DecimalField(_("warning below (%)"), max_digits=7, decimal_places=4, default=99.7,
                                          validators=PERCENT,
                                          help_text=_("Above the target: the month is at risk below this."))
    mtrs_target_minutes = models.PositiveIntegerField(_("MTRS target (minutes)"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("service availability settings")
        verbose_name_plural = _("service availability settings")

    def __str__(self):
        return str(self.service)


class Outage(models.Model):
    """A period during which a service was not available: recorded by an agent, or opened and
    closed from an incident flagged "service down" or a service-impacting monitoring alert.
    Planned outages are maintenance announced in advance."""

    service = models.ForeignKey("cmdb.ConfigurationItem", verbose_name=_("service"), on_delete=models.PROTECT,
                                related_name="outages")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True, help_text=_("Empty while the outage lasts."))
    planned = models.BooleanField(_("planned"), default=False)
    incident = models.ForeignKey("incidents.Incident", verbose_name=_("incident"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="outages")
    source = models.CharField(_("source"), max_length=12, choices=OutageSource.choices, default=OutageSource.MANUAL)
    description = models.CharField(_("description"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gt=F("start")), name="outage_end_after_start"),
            # One service is never down twice at once: a second record over the same minutes would
            # count them twice in every figure (needs btree_gist for the equality on service).
            ExclusionConstraint(
                name="outage_no_overlap",
                expressions=[(TsTzRange("start", "end"), RangeOperators.OVERLAPS), ("service", RangeOperators.EQUAL)],
            ),
        ]
        indexes = [
            # The outages derived from one incident (open/close on incident events).
            models.Index(fields=["incident"], condition=Q(incident__isnull=False), name="outage_incident_idx"),
        ]

    def __str__(self):
        return f"{self.service} {self.start:%Y-%m-%d %H:%M}"

    @property
    def duration_minutes(self):
        end = self.end or timezone.now()
        return max(0, (end - self.start).total_seconds() / 60)
