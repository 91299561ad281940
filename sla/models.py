"""Service level management: business calendars, agreements (SLA/OLA/UC) with targets per
priority, the clocks that run on tickets, their event log and escalation rules."""

import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import memo
from sla.choices import (
    AgreementKind,
    ClockKind,
    ClockState,
    EscalationAction,
    EventKind,
    ExceptionKind,
    PriorityChangePolicy,
    ReopenPolicy,
    StopAt,
    Weekday,
)


def is_midnight(value):
    return value.hour == 0 and value.minute == 0 and value.second == 0


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(_("%(value)s is not a known time zone (e.g. Asia/Seoul)."), params={"value": value})


def validate_country(value):
    if not value:
        return
    import holidays

    if value.upper() not in holidays.list_supported_countries():
        raise ValidationError(_("%(value)s is not a country the holidays package knows."), params={"value": value})


def validate_subdivision(country, value):
    """An unknown region would make every holiday lookup of the calendar fail, clocks included."""
    import holidays

    if not country:
        raise ValidationError({"holiday_subdivision": _("Give the country of the region first.")})
    if country.upper() not in holidays.list_supported_countries():
        return  # the country's own error says it
    try:
        holidays.country_holidays(country.upper(), subdiv=value)
    except NotImplementedError:
        raise ValidationError({"holiday_subdivision": _("%(country)s has no region %(value)s.")
                               % {"country": country.upper(), "value": value}})


class BusinessCalendar(models.Model):
    """When an agreement's clock counts: working hours per weekday in a time zone, minus
    public holidays (by country) and the calendar's own closed dates, plus its open dates.

    `always_open` makes it a 24×7 calendar (hours and holidays are ignored).
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Seoul",
                                 validators=[validate_time_zone])
    always_open = models.BooleanField(_("24×7"), default=False)
    holiday_country = models.CharField(_("holiday country"), max_length=8, blank=True,
                                       validators=[validate_country],
                                       help_text=_("ISO code for public holidays, e.g. KR; empty for none."))
    holiday_subdivision = models.CharField(_("holiday subdivision"), max_length=16, blank=True)
    holiday_language = models.CharField(_("holiday language"), max_length=10, blank=True, default="ko")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Desk edit forms send the version they read; a stale one is refused (sla.services).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sla:calendar_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.holiday_country:
            self.holiday_country = self.holiday_country.upper()
        if self.holiday_subdivision:
            validate_subdivision(self.holiday_country, self.holiday_subdivision)


class WorkingInterval(models.Model):
    """One stretch of working time on a weekday (a day may have several, e.g. around lunch).

    `end` 00:00 means midnight at the end of the day.
    """

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="intervals",
                                 verbose_name=_("calendar"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        ordering = ["calendar", "weekday", "start"]
        verbose_name = _("working interval")
        verbose_name_plural = _("working intervals")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        super().clean()
        if self.start is not None and self.end is not None and not is_midnight(self.end) \
                and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        if self.calendar_id and self.start is not None and self.end is not None:
            siblings = WorkingInterval.objects.filter(calendar_id=self.calendar_id, weekday=self.weekday)
            if self.pk:
                siblings = siblings.exclude(pk=self.pk)
            rows = [(i.weekday, i.start, i.end) for i in siblings] + [(self.weekday, self.start, self.end)]
            if interval_overlaps(rows):
                raise ValidationError(_("This interval overlaps another on the same weekday."))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        touch_calendar(self.calendar_id)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        touch_calendar(self.calendar_id)
        return result


def touch_calendar(calendar_id):
    """Hours and exceptions are part of the calendar: move its `updated_at` so caches rebuild."""
    BusinessCalendar.objects.filter(pk=calendar_id).update(updated_at=timezone.now())
    memo.forget()  # the definitions kept in memory hold the calendar row (sla.engine)


def interval_overlaps(intervals):
    """(weekday, start, end) triples → the first pair that overlaps, or None."""
    def secs(t, end=False):
        s = t.hour * 3600 + t.minute * 60 + t.second
        return 86400 if end and s == 0 else s

    spans = sorted((w, secs(a), secs(b, True), a, b) for w, a, b in intervals)
    for first, second in zip(spans, spans[1:]):
        if first[0] == second[0] and second[1] < first[2]:
            return first, second
    return None


class CalendarException(models.Model):
    """A date the calendar treats differently from its weekly hours, with the reason:
    an extra holiday (e.g. a decreed 임시공휴일), or a working day despite a public holiday
    or weekend, optionally with its own hours (half days). Several open rows on one date
    give several intervals."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="exceptions",
                                 verbose_name=_("calendar"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=ExceptionKind.choices)
    start = models.TimeField(_("start"), null=True, blank=True)
    end = models.TimeField(_("end"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["calendar", "date", "start"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}: {self.reason}"

    def clean(self):
        super().clean()
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Give a reason for the exception.")})
        if (self.start is None) != (self.end is None):
            raise ValidationError({"end": _("Give both start and end, or neither.")})
        if self.kind == ExceptionKind.CLOSED and self.start is not None:
            raise ValidationError({"start": _("A closed date has no hours.")})
        if self.start is not None and self.end is not None and not is_midnight(self.end) \
                and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        touch_calendar(self.calendar_id)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        touch_calendar(self.calendar_id)
        return result


def default_pause_states():
    return ["on_hold:awaiting_caller"]


def default_warning_thresholds():
    return [50, 75, 90]


class SLADefinition(models.Model):
    """An agreement (SLA with a customer, OLA with a group, UC with a supplier): which tickets
    it applies to, the targets per priority, the calendar, and the clock rules it decides."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    agreement = models.CharField(_("agreement"), max_length=3, choices=AgreementKind.choices,
                                 default=AgreementKind.SLA)
    active = models.BooleanField(_("active"), default=True)
    ticket_type = models.ForeignKey(ContentType, verbose_name=_("ticket type"), on_delete=models.PROTECT,
                                    related_name="+")
    # Conditions, all optional, ANDed; each a list of accepted values (ORed):
    # {"priorities": [1,2], "services": [ci ids], "categories": ["network"], "organisations": [ids],
    #  "assignment_groups": [team ids] (OLA), "suppliers": [ids] (UC)}.
    applies_to = models.JSONField(_("applies to"), default=dict, blank=True)
    calendar = models.ForeignKey(BusinessCalendar, verbose_name=_("calendar"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="definitions",
                                 help_text=_("Empty means 24×7."))
    # "state" or "state:on_hold_reason" entries; the clock pauses while the ticket matches one.
    pause_states = models.JSONField(_("pause states"), default=default_pause_states, blank=True)
    warning_thresholds = models.JSONField(_("warning thresholds (%)"), default=default_warning_thresholds,
                                          blank=True)
    on_reopen = models.CharField(_("on reopen"), max_length=10, choices=ReopenPolicy.choices,
                                 default=ReopenPolicy.RESUME)
    on_priority_change = models.CharField(_("on priority change"), max_length=10,
                                          choices=PriorityChangePolicy.choices,
                                          default=PriorityChangePolicy.RETARGET)
    stop_at = models.CharField(_("stop at"), max_length=10, choices=StopAt.choices, default=StopAt.RESOLVED)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("SLA definition")
        verbose_name_plural = _("SLA definitions")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sla:definition_detail", args=[self.pk])

    def clean(self):
        super().clean()
        from sla.conditions import validate_definition_fields

        validate_definition_fields(self)


class SLATarget(models.Model):
    """The response and resolution targets of one priority, in business minutes of the calendar."""

    definition = models.ForeignKey(SLADefinition, on_delete=models.CASCADE, related_name="targets",
                                   verbose_name=_("definition"))
    priority = models.PositiveSmallIntegerField(_("priority"),
                                                validators=[MinValueValidator(1), MaxValueValidator(5)])
    response_minutes = models.PositiveIntegerField(_("response (minutes)"), null=True, blank=True,
                                                   validators=[MinValueValidator(1)])
    resolution_minutes = models.PositiveIntegerField(_("resolution (minutes)"), null=True, blank=True,
                                                     validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["definition", "priority"]
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        constraints = [
            models.UniqueConstraint(fields=["definition", "priority"], name="sla_target_unique_priority"),
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=5), name="sla_target_priority_1_5"),
            models.CheckConstraint(condition=Q(response_minutes__isnull=True) | Q(response_minutes__gt=0),
                                   name="sla_target_response_positive"),
            models.CheckConstraint(condition=Q(resolution_minutes__isnull=True) | Q(resolution_minutes__gt=0),
                                   name="sla_target_resolution_positive"),
        ]

    def __str__(self):
        return f"P{self.priority}: {self.response_minutes} / {self.resolution_minutes} min"

    def clean(self):
        super().clean()
        if self.response_minutes is None and self.resolution_minutes is None:
            raise ValidationError(_("Give a response or a resolution target."))
        for name in ("response_minutes", "resolution_minutes"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValidationError({name: _("A target must be more than zero minutes.")})

    def minutes_for(self, kind):
        return self.response_minutes if kind == ClockKind.RESPONSE else self.resolution_minutes


class SLAClockQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def live(self):
        return self.filter(stopped_at__isnull=True).exclude(state=ClockState.CANCELLED)


class SLAClock(models.Model):
    """One target (response or resolution) of one agreement, counting on one ticket.

    `elapsed_business_seconds` is the business time counted up to `segment_started_at`
    (or to `paused_at`/`stopped_at`); a running clock adds the business time since
    `segment_started_at`. `next_check_at` is the next instant the sweep must look at it
    (the next warning threshold or the breach), NULL when nothing is pending.
    """

    # No index of their own: sla_clock_ticket_idx and sla_clock_report_idx lead with these columns
    # (issue 12: two indexes fewer to write per create).
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", db_index=False)
    object_id = models.PositiveBigIntegerField()
    ticket = GenericForeignKey("content_type", "object_id")
    definition = models.ForeignKey(SLADefinition, on_delete=models.PROTECT, related_name="clocks",
                                   verbose_name=_("definition"), db_index=False)
    kind = models.CharField(_("kind"), max_length=10, choices=ClockKind.choices)
    state = models.CharField(_("state"), max_length=10, choices=ClockState.choices, default=ClockState.RUNNING)
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    target_minutes = models.PositiveIntegerField(_("target (minutes)"))
    started_at = models.DateTimeField(_("started"))
    segment_started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    elapsed_business_seconds = models.BigIntegerField(_("elapsed business seconds"), default=0)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    warnings_sent = models.JSONField(_("warnings sent"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SLAClockQuerySet.as_manager()

    class Meta:
        ordering = ["content_type", "object_id", "kind", "id"]
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        indexes = [
            # The sweep: running clocks whose next warning or breach is due, as a range scan.
            models.Index(fields=["next_check_at"], condition=Q(state="running"), name="sla_clock_sweep_idx"),
            # Clocks of a ticket (detail pages, list badges for many tickets at once).
            models.Index(fields=["content_type", "object_id"], name="sla_clock_ticket_idx"),
            # Compliance reports by month.
            models.Index(fields=["definition", "started_at"], name="sla_clock_report_idx"),
        ]

    def __str__(self):
        return f"{self.definition} {self.get_kind_display()} ({self.get_state_display()})"

    @property
    def is_live(self):
        return self.stopped_at is None and self.state != ClockState.CANCELLED

    @property
    def is_paused(self):
        return self.paused_at is not None


class ClockEvent(models.Model):
    """What happened to a clock and when (the true instant), with the calendar and target in
    force, so the clock can be replayed and a breach explained. Append-only."""

    clock = models.ForeignKey(SLAClock, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=10, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    calendar = models.ForeignKey(BusinessCalendar, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    calendar_fingerprint = models.CharField(max_length=64, blank=True)
    threshold = models.PositiveSmallIntegerField(null=True, blank=True)
    target_minutes = models.PositiveIntegerField()
    elapsed_business_seconds = models.BigIntegerField(default=0)
    due_at = models.DateTimeField(null=True, blank=True)
    # Facts: old and new priority or group, the ticket state that paused it, the reason.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("clock event")
        verbose_name_plural = _("clock events")
        constraints = [
            # A warning threshold and the breach are recorded once per clock, whatever the sweeps do.
            models.UniqueConstraint(fields=["clock", "kind", "threshold"],
                                    condition=Q(kind__in=["warning", "breach"]), name="sla_event_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} @ {self.at:%Y-%m-%d %H:%M}"


class EscalationRule(models.Model):
    """What to do when a clock of the definition passes a threshold (percent of the target;
    100 means at breach): notify, raise priority, reassign, write a work note, call a webhook."""

    definition = models.ForeignKey(SLADefinition, on_delete=models.CASCADE, related_name="escalation_rules",
                                   verbose_name=_("definition"))
    kind = models.CharField(_("clock kind"), max_length=10, choices=ClockKind.choices, blank=True,
                            help_text=_("Empty for both response and resolution clocks."))
    # The "% o" in the label is not a format: xgettext would take it for one.
    # xgettext:no-python-format
    threshold = models.PositiveSmallIntegerField(_("at (% of target)"), default=100,
                                                 validators=[MinValueValidator(1), MaxValueValidator(100)],
                                                 help_text=_("100 is the breach."))
    action = models.CharField(_("action"), max_length=30, choices=EscalationAction.choices)
    target_group = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("reassign to group"))
    webhook_url = models.URLField(_("webhook URL"), blank=True)
    message = models.TextField(_("message"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["definition", "threshold", "id"]
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")

    def __str__(self):
        return f"{self.definition} @{self.threshold}%: {self.get_action_display()}"

    def clean(self):
        super().clean()
        if self.action == EscalationAction.REASSIGN and not self.target_group_id:
            raise ValidationError({"target_group": _("Choose the group to reassign to.")})
        if self.action == EscalationAction.WEBHOOK and not self.webhook_url:
            raise ValidationError({"webhook_url": _("Give the webhook URL.")})
        if self.definition_id and self.threshold != 100:
            thresholds = self.definition.warning_thresholds or []
            if self.threshold not in thresholds:
                raise ValidationError({"threshold": _(
                    "The definition warns at %(values)s %% only; use one of those or 100 (breach)."
                ) % {"values": ", ".join(str(t) for t in thresholds) or "—"}})


class EscalationRun(models.Model):
    """One escalation rule fired for one clock at one threshold: created by the sweep in its
    transaction (unique, so never twice), executed afterwards by a task that marks it done."""

    rule = models.ForeignKey(EscalationRule, on_delete=models.CASCADE, related_name="runs")
    clock = models.ForeignKey(SLAClock, on_delete=models.CASCADE, related_name="escalations")
    threshold = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField(help_text="The true instant the threshold was reached.")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("escalation run")
        verbose_name_plural = _("escalation runs")
        constraints = [
            models.UniqueConstraint(fields=["rule", "clock", "threshold"], name="sla_escalation_once"),
        ]
        indexes = [
            # Pending runs (a handful among all runs ever made).
            models.Index(fields=["created_at"], condition=Q(done_at__isnull=True), name="sla_run_pending_idx"),
        ]

    def __str__(self):
        return f"{self.rule} → clock {self.clock_id}"
