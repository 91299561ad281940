"""The ISO/IEC 20000-1 management system's own records: the internal audit programme (9.2) with
its audits and findings, management reviews (9.3) with their actions, and the certification
life cycle. Not ticket types: they are written by assurance.services, numbered there."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assurance import rules
from assurance.choices import ActionState, AuditState, CertificationKind, FindingKind, FindingState


class AuditProgramme(models.Model):
    """The internal audit programme of one three-year certification cycle: every clause is to be
    audited at least once between `start_year` and `start_year + 2`."""

    name = models.CharField(_("name"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("cycle start year"), unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("audit programme")
        verbose_name_plural = _("audit programmes")
        constraints = [models.CheckConstraint(condition=models.Q(start_year__gte=2000, start_year__lte=2999),
                                              name="assurance_programme_year")]

    def __str__(self):
        return f"{self.name} ({self.start_year}–{self.end_year})"

    @property
    def end_year(self):
        return self.start_year + rules.CYCLE_YEARS - 1

    def get_absolute_url(self):
        return reverse("assurance:programme") + f"?programme={self.pk}"


class Audit(models.Model):
    """One internal audit (AUD-2026-01): its scope of clauses, the teams whose processes it looks
    at, the lead auditor and whether they are independent of what they audit."""

    programme = models.ForeignKey(AuditProgramme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="audits")
    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    scope = ArrayField(models.CharField(max_length=10), verbose_name=_("clauses in scope"), default=list)
    processes = models.CharField(_("audited processes"), max_length=300, blank=True)
    audited_teams = models.ManyToManyField("accounts.Team", verbose_name=_("audited teams"), blank=True,
                                           related_name="+")
    planned_date = models.DateField(_("planned date"))
    performed_date = models.DateField(_("performed date"), null=True, blank=True)
    lead_auditor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("lead auditor"),
                                     on_delete=models.PROTECT, related_name="+")
    auditor_team = models.ForeignKey("accounts.Team", verbose_name=_("auditor's team"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    # Derived by the services from the auditor's teams and the audited ones (rules.independence_conflicts).
    independence_conflict = models.BooleanField(_("independence conflict"), default=False)
    independence_note = models.TextField(_("independence note"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=AuditState.choices, default=AuditState.PLANNED)
    summary = models.TextField(_("report summary"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["planned_date", "id"]
        verbose_name = _("internal audit")
        verbose_name_plural = _("internal audits")
        indexes = [
            # audited_clause_ids(since): audits done since a date.
            models.Index(fields=["state", "performed_date"], name="assurance_audit_done_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("assurance:audit_detail", args=[self.pk])


class Finding(models.Model):
    """What an audit found against clauses: a major or minor nonconformity (with its corrective
    action in the improvement register) or an opportunity for improvement."""

    audit = models.ForeignKey(Audit, verbose_name=_("audit"), on_delete=models.PROTECT, related_name="findings")
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    clauses = ArrayField(models.CharField(max_length=10), verbose_name=_("clauses"), default=list)
    description = models.TextField(_("description"))
    evidence = models.TextField(_("evidence"), blank=True)
    # Numbers of the records the auditor sampled (INC0001234, CHG0000042, DOC-…): kept as text so
    # the finding reads the same after those records change.
    evidence_records = ArrayField(models.CharField(max_length=40), verbose_name=_("evidence records"),
                                  default=list, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=FindingState.choices, default=FindingState.OPEN)
    corrective_action = models.OneToOneField("improvements.Improvement", verbose_name=_("corrective action"),
                                             null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closure_note = models.TextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["audit_id", "sequence"]
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        constraints = [models.UniqueConstraint(fields=["audit", "sequence"], name="assurance_finding_sequence")]
        indexes = [
            # open_major_nonconformity_clause_ids(), the pack's findings by kind and state.
            models.Index(fields=["kind", "state"], name="assurance_finding_kind_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()}"

    @property
    def number(self):
        return f"{self.audit.number}-F{self.sequence}"

    def get_absolute_url(self):
        return reverse("assurance:audit_detail", args=[self.audit_id]) + f"#finding-{self.pk}"


class ManagementReview(models.Model):
    """A management review (9.3): the period it looks at, who attended, the pack of inputs frozen
    from live data when generated, the minutes, and the decisions as tracked actions."""

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    attendees = models.TextField(_("attendees"), blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("chair"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    minutes = models.TextField(_("minutes"), blank=True)
    # [{"risk", "rating", "treatment"}]: the risks and opportunities put to the review.
    risks = models.JSONField(_("risks"), default=list, blank=True)
    pack = models.JSONField(_("review pack"), default=dict, blank=True)
    pack_generated_at = models.DateTimeField(_("pack generated"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")
        constraints = [models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                              name="assurance_review_period")]

    def __str__(self):
        return f"{self.title} ({self.held_on:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("assurance:review_detail", args=[self.pk])


class ReviewAction(models.Model):
    """A decision of a management review, tracked to done with an owner and a due date."""

    review = models.ForeignKey(ManagementReview, verbose_name=_("review"), on_delete=models.CASCADE,
                               related_name="actions")
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ActionState.choices, default=ActionState.OPEN)
    note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("review action")
        verbose_name_plural = _("review actions")
        indexes = [models.Index(fields=["state", "due_date"], name="assurance_action_state_idx")]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.state == ActionState.OPEN and self.due_date is not None and self.due_date < today

    def get_absolute_url(self):
        return reverse("assurance:review_detail", args=[self.review_id]) + f"#action-{self.pk}"


class CertificationEvent(models.Model):
    """A dated step of the external certification: enquiry to decision, then surveillance and
    recertification audits by the certification body, with what they found and when it closed."""

    kind = models.CharField(_("kind"), max_length=20, choices=CertificationKind.choices)
    date = models.DateField(_("date"))
    body = models.CharField(_("certification body"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=200, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    findings_closed_on = models.DateField(_("findings closed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("certification event")
        verbose_name_plural = _("certification events")

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("assurance:certification") + f"#event-{self.pk}"
