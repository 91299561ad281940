"""Public-sector SLA evaluation (ISO/IEC 20000-1 8.3.3): contracts of an information system with
its grade, their indicator table, the annual waiver and the recorded monthly evaluations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publicsla import rules


def default_bands():
    return [list(band) for band in rules.DEFAULT_PENALTY_BANDS]


class IndicatorKind(models.TextChoices):
    AVAILABILITY = "availability", _("Availability rate")
    RESTORE = "restore", _("Maximum restore time (sanction)")
    SR_TIMELINESS = "sr_timeliness", _("Service requests on time")
    RECURRENCE = "recurrence", _("Same-fault recurrence")
    SATISFACTION = "satisfaction", _("Customer satisfaction")
    MANUAL = "manual", _("Other (not measured)")


class Contract(models.Model):
    """A public-sector SLA contract for one information system: its grade (1–4), the services
    (CMDB business services) it covers, the monthly amount the penalty is a share of."""

    name = models.CharField(_("name"), max_length=200)
    system_grade = models.PositiveSmallIntegerField(_("system grade"), default=1)
    monthly_amount = models.DecimalField(_("monthly contract amount"), max_digits=14, decimal_places=0, default=0)
    services = models.ManyToManyField("cmdb.ConfigurationItem", verbose_name=_("services"), blank=True,
                                      related_name="public_sla_contracts")
    penalty_bands = models.JSONField(_("penalty bands"), default=default_bands, blank=True,
                                     help_text=_("[lowest score, penalty %] pairs."))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Seoul")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("public-sector SLA contract")
        verbose_name_plural = _("public-sector SLA contracts")
        constraints = [
            models.CheckConstraint(condition=Q(system_grade__gte=1, system_grade__lte=4), name="psla_grade_range"),
            models.CheckConstraint(condition=Q(monthly_amount__gte=0), name="psla_amount_not_negative"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("publicsla:contract_detail", args=[self.pk])


class Indicator(models.Model):
    """One row of a contract's indicator table (code, Korean name, weight, target and minimum)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("measures"), max_length=20, choices=IndicatorKind.choices)
    required = models.BooleanField(_("required"), default=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    target = models.DecimalField(_("target level"), max_digits=9, decimal_places=3)
    minimum = models.DecimalField(_("minimum level"), max_digits=9, decimal_places=3)
    formula = models.CharField(_("formula"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contract", "order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["contract", "code"], name="psla_indicator_code_unique")]

    def __str__(self):
        return f"{self.code} {self.name}"


class Waiver(models.Model):
    """The annual waiver: once per contract and year, the penalty of the month named is waived."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="waivers")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    reason = models.CharField(_("reason"), max_length=300)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("granted by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("granted"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("penalty waiver")
        verbose_name_plural = _("penalty waivers")
        constraints = [
            models.UniqueConstraint(fields=["contract", "year"], name="psla_one_waiver_per_year"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="psla_waiver_month_range"),
        ]

    def __str__(self):
        return f"{self.contract} {self.year}-{self.month:02d}"


class Evaluation(models.Model):
    """A month's evaluation as recorded (the figures frozen for the audit trail and the sheet)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="evaluations")
    month = models.DateField(_("month"))
    availability_percent = models.DecimalField(_("availability (%)"), max_digits=8, decimal_places=4, null=True)
    sanction = models.DecimalField(_("sanction"), max_digits=9, decimal_places=2)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    penalty_percent = models.DecimalField(_("penalty (%)"), max_digits=5, decimal_places=2)
    penalty_amount = models.DecimalField(_("penalty amount"), max_digits=14, decimal_places=0)
    waived = models.BooleanField(_("waived"), default=False)
    figures = models.JSONField(_("figures"), default=dict)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-month", "contract"]
        verbose_name = _("public-sector SLA evaluation")
        verbose_name_plural = _("public-sector SLA evaluations")
        constraints = [models.UniqueConstraint(fields=["contract", "month"], name="psla_one_evaluation_per_month")]

    def __str__(self):
        return f"{self.contract} {self.month:%Y-%m}"
