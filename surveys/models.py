"""Records of satisfaction surveys: who is asked after a resolution (settings and questions),
periodic campaigns, each survey sent (with its answer on the same row) and the follow-up a low
score opens for the team's manager."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles


class TicketType(models.TextChoices):
    INCIDENT = "incident", _("Incidents")
    REQUEST = "request", _("Service requests")


class SurveySetting(models.Model):
    """Which resolved tickets are surveyed: their types, their services (none: every service)
    and the share of them asked (sampling rate)."""

    name = models.CharField(_("name"), max_length=150)
    ticket_types = ArrayField(models.CharField(max_length=20, choices=TicketType.choices),
                              verbose_name=_("ticket types"), default=list)
    services = models.ManyToManyField("cmdb.ConfigurationItem", verbose_name=_("services"), blank=True,
                                      related_name="+", help_text=_("None: every service."))
    sampling_percent = models.PositiveSmallIntegerField(
        _("sampling rate (%)"), default=100, validators=[MinValueValidator(0), MaxValueValidator(100)])
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("survey setting")
        verbose_name_plural = _("survey settings")

    def __str__(self):
        return self.name


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale 1 to 5")
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Free text")


class SurveyQuestion(models.Model):
    """An optional question an administrator adds to every survey (answers are never required)."""

    text = models.CharField(_("question"), max_length=300)
    text_ko = models.CharField(_("question in Korean"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SCALE)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self):
        return self.text

    def display_text(self, language=None):
        from django.utils.translation import get_language

        language = language or get_language() or ""
        return self.text_ko if language.startswith("ko") and self.text_ko else self.text


class Campaign(models.Model):
    """A periodic survey of a representative sample of the people served in a period, per
    organisation and/or service (stratified by organisation and service, reproducible by its seed)."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("cmdb.ConfigurationItem", verbose_name=_("service"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"), help_text=_("Exclusive."))
    sample_size = models.PositiveIntegerField(_("sample size"), validators=[MinValueValidator(1)])
    seed = models.CharField(_("seed"), max_length=64)
    population = models.PositiveIntegerField(_("population"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("periodic survey")
        verbose_name_plural = _("periodic surveys")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("surveys:campaign_detail", args=[self.pk])


class SurveyQuerySet(models.QuerySet):
    def answered(self):
        return self.filter(answered_at__isnull=False)

    def pending_for(self, user, *, now=None):
        now = now or timezone.now()
        return self.filter(respondent=user, answered_at__isnull=True, expires_at__gt=now)

    def visible_to(self, user):
        """Desk staff see every survey; anyone else the ones sent to them."""
        if roles.is_agent(user):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(respondent=user)


class Survey(models.Model):
    """One survey sent to one person about one ticket (after its resolution, or in a periodic
    campaign), with the answer once given: the first answer is kept, a second changes nothing."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    # Copied at sending so that lists and reports need no join through the generic relation.
    ticket_number = models.CharField(_("ticket"), max_length=20)
    ticket_title = models.CharField(_("title"), max_length=200, blank=True)
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("respondent"),
                                   on_delete=models.PROTECT, related_name="surveys")
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    service = models.ForeignKey("cmdb.ConfigurationItem", verbose_name=_("service"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    assignment_group = models.ForeignKey("accounts.Team", verbose_name=_("assignment group"), null=True,
                                         blank=True, on_delete=models.SET_NULL, related_name="+")
    campaign = models.ForeignKey(Campaign, verbose_name=_("periodic survey"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="surveys")
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            # One after-resolution survey per ticket, one per ticket in each campaign.
            models.UniqueConstraint(fields=["content_type", "object_id"], condition=Q(campaign__isnull=True),
                                    name="survey_once_per_ticket"),
            models.UniqueConstraint(fields=["campaign", "content_type", "object_id"],
                                    name="survey_once_per_campaign_ticket"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                                   name="survey_score_1_to_5"),
        ]
        indexes = [
            models.Index(fields=["respondent", "answered_at"], name="survey_respondent_idx"),
            models.Index(fields=["-answered_at"], name="survey_answered_idx", condition=Q(answered_at__isnull=False)),
            models.Index(fields=["sent_at"], name="survey_sent_idx"),
            # satisfaction() reads (answered_at, score) and (sent_at, answered_at) from the index
            # alone: a month's figures without visiting the rows.
            models.Index(fields=["answered_at", "score"], name="survey_answered_score_idx",
                         condition=Q(answered_at__isnull=False)),
            models.Index(fields=["sent_at", "answered_at"], name="survey_sent_answered_idx"),
        ]

    def __str__(self):
        return f"{self.ticket_number} · {self.respondent}"

    @property
    def is_answered(self):
        return self.answered_at is not None

    def get_portal_url(self):
        return reverse("surveys_portal:answer", args=[self.pk])


class FollowUpState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class FollowUp(models.Model):
    """What a low score asks of the team's manager: call the person back, find out, note it."""

    survey = models.OneToOneField(Survey, verbose_name=_("survey"), on_delete=models.CASCADE,
                                  related_name="follow_up")
    team = models.ForeignKey("accounts.Team", verbose_name=_("team"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="survey_follow_ups")
    state = models.CharField(_("state"), max_length=10, choices=FollowUpState.choices, default=FollowUpState.OPEN)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey follow-up")
        verbose_name_plural = _("survey follow-ups")
        indexes = [models.Index(fields=["owner", "state"], name="survey_followup_owner_idx")]

    def __str__(self):
        return f"{self.survey.ticket_number}"
