"""Continuity: a BCP or DRP (a document of the shared register) with what invoking it needs,
its tests, its invocations, and the re-test a major change to a covered service demands."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from continuity.choices import RESULT_BADGES, TestKind, TestResult


class ContinuityPlan(models.Model):
    document = models.OneToOneField("documents.Document", verbose_name=_("document"), on_delete=models.PROTECT,
                                    related_name="continuity_plan")
    services = models.ManyToManyField("cmdb.ConfigurationItem", verbose_name=_("services"), blank=True,
                                      related_name="continuity_plans")
    invocation_criteria = models.TextField(_("invocation criteria"), blank=True)
    rto_minutes = models.PositiveIntegerField(_("RTO (minutes)"), validators=[MaxValueValidator(525600)])
    rpo_minutes = models.PositiveIntegerField(_("RPO (minutes)"), validators=[MaxValueValidator(525600)])
    # [{"name", "role", "phone", "email"}], in call order.
    contacts = models.JSONField(_("contacts"), default=list, blank=True)
    # ["step", ...] in order.
    steps = models.JSONField(_("steps"), default=list, blank=True)
    test_interval_days = models.PositiveIntegerField(_("test interval (days)"), default=365,
                                                     validators=[MinValueValidator(1), MaxValueValidator(3650)])
    retest_required = models.BooleanField(_("re-test required"), default=False, editable=False)
    retest_reason = models.CharField(_("re-test reason"), max_length=300, blank=True, editable=False)
    retest_since = models.DateTimeField(_("re-test required since"), null=True, blank=True, editable=False)
    retest_change = models.ForeignKey("changes.Change", verbose_name=_("change demanding the re-test"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+", editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("continuity plan")
        verbose_name_plural = _("continuity plans")
        ordering = ["document__title", "id"]
        indexes = [models.Index(fields=["retest_required"], name="continuity_plan_retest_idx")]

    def __str__(self):
        return f"{self.document.number} {self.document.title}"

    def get_absolute_url(self):
        return reverse("continuity:plan_detail", args=[self.pk])


class ContinuityTest(models.Model):
    plan = models.ForeignKey(ContinuityPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tests")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=TestKind.choices)
    result = models.CharField(_("result"), max_length=30, choices=TestResult.choices)
    findings = models.TextField(_("findings"), blank=True)
    rto_achieved_minutes = models.PositiveIntegerField(_("RTO achieved (minutes)"), null=True, blank=True,
                                                       validators=[MaxValueValidator(525600)])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    badge_colours = {"result": RESULT_BADGES}

    class Meta:
        verbose_name = _("continuity test")
        verbose_name_plural = _("continuity tests")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["plan", "-date"], name="continuity_test_plan_date_idx")]

    def __str__(self):
        return f"{self.plan_id} {self.date} {self.result}"


class Invocation(models.Model):
    plan = models.ForeignKey(ContinuityPlan, verbose_name=_("plan"), on_delete=models.CASCADE,
                             related_name="invocations")
    started = models.DateTimeField(_("started"))
    ended = models.DateTimeField(_("ended"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    incident = models.ForeignKey("incidents.Incident", verbose_name=_("incident"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("invocation")
        verbose_name_plural = _("invocations")
        ordering = ["-started", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(ended__isnull=True)
                                              | models.Q(ended__gte=models.F("started")),
                                              name="continuity_invocation_ends_after_start")]

    def __str__(self):
        return f"{self.plan_id} {self.started:%Y-%m-%d}"
