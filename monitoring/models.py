"""Records of event management (ITIL event management, ISO/IEC 20000-1 9.1 monitoring).

An **event** is one notification a monitoring tool sent, kept as it came (raw) and normalised.
An **alert** is the fault the events with one fingerprint describe: one open alert per
fingerprint, counting repeats, closed by a resolved event. Administrators keep the **CI mapping
rules** (how an event names its CI) and the **incident rules** (which alerts open an incident and
with which impact and urgency).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cmdb.choices import Criticality, Environment
from core.choices import Impact, Urgency
from monitoring.choices import BADGE_COLOURS, AlertState, CITarget, EventStatus, MatchOn, Severity


class Alert(models.Model):
    """One fault as monitoring sees it: the open alert of a fingerprint, with its repeat count.

    A partial unique index keeps at most one open alert per fingerprint, so concurrent firing
    events can only update it (monitoring.ingest); closed alerts stay as history.
    """

    badge_colours = BADGE_COLOURS

    fingerprint = models.CharField(_("fingerprint"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=AlertState.choices, default=AlertState.OPEN)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    source = models.CharField(_("source"), max_length=100, blank=True)
    node = models.CharField(_("node"), max_length=200, blank=True)
    check_name = models.CharField(_("check"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    labels = models.JSONField(_("labels"), default=dict, blank=True)
    ci = models.ForeignKey("cmdb.ConfigurationItem", verbose_name=_("configuration item"), null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="alerts")
    # The business service the CMDB graph found above the CI (storms group on it).
    service = models.ForeignKey("cmdb.ConfigurationItem", verbose_name=_("service"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="service_alerts")
    incident = models.ForeignKey("incidents.Incident", verbose_name=_("incident"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="alerts")
    # True when this alert's incident was opened for it (not attached to a storm incident).
    opened_incident = models.BooleanField(_("opened the incident"), default=False)
    count = models.PositiveIntegerField(_("count"), default=1)
    # How many times it fired again within the flap window after a resolve (monitoring.rules).
    flaps = models.PositiveIntegerField(_("flaps"), default=0)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Hold-down: the incident is resolved at this time if the alert has not fired again.
    resolve_due_at = models.DateTimeField(_("incident resolves at"), null=True, blank=True)

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            # Dedupe: one open alert per fingerprint; the ingest's UPDATE … WHERE state='open' and
            # INSERT … ON CONFLICT rely on it.
            models.UniqueConstraint(fields=["fingerprint"], condition=Q(state="open"), name="mon_alert_open_fp"),
        ]
        indexes = [
            # Flap check: the latest closed alert of a fingerprint.
            models.Index(fields=["fingerprint", "-closed_at"], condition=Q(state="closed"), name="mon_alert_closed_fp"),
            # The console: open alerts, newest first.
            models.Index(fields=["state", "-last_seen"], name="mon_alert_state_seen"),
            # The hold-down sweep: closed alerts whose incident resolve is due.
            models.Index(fields=["resolve_due_at"], condition=Q(resolve_due_at__isnull=False), name="mon_alert_due"),
            # Storm grouping and the incident page: the alerts of an incident.
            models.Index(fields=["incident"], condition=Q(incident__isnull=False), name="mon_alert_incident"),
        ]

    def __str__(self):
        return f"{self.check_name or self.fingerprint} @ {self.node or self.ci_id or '?'}"

    def get_absolute_url(self):
        return reverse("monitoring:alert_detail", args=[self.pk])


class Event(models.Model):
    """One notification from a monitoring tool, as received (`raw`) and normalised."""

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    source = models.CharField(_("source"), max_length=100, blank=True)
    node = models.CharField(_("node"), max_length=200, blank=True)
    ci_name = models.CharField(_("CI as sent"), max_length=200, blank=True)
    check_name = models.CharField(_("check"), max_length=200, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    status = models.CharField(_("status"), max_length=10, choices=EventStatus.choices)
    fingerprint = models.CharField(_("fingerprint"), max_length=200)
    fingerprint_derived = models.BooleanField(_("fingerprint derived"), default=False)
    message = models.TextField(_("message"), blank=True)
    labels = models.JSONField(_("labels"), default=dict, blank=True)
    raw = models.JSONField(_("raw event"), default=dict, blank=True)
    ci = models.ForeignKey("cmdb.ConfigurationItem", verbose_name=_("configuration item"), null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+", db_index=False)
    alert = models.ForeignKey(Alert, verbose_name=_("alert"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="events", db_index=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            # An alert's event history, newest first.
            models.Index(fields=["alert", "-id"], name="mon_event_alert"),
        ]

    def __str__(self):
        return f"{self.fingerprint} {self.status}"


class CIMappingRule(models.Model):
    """How an event names its CI: read the event's CI field, node or a label, optionally cut it
    with a regular expression (its first group, else the whole match), and look the value up in
    a CI field. Rules are tried in order; the first that finds a CI wins. Without a match the
    event's CI is tried as external id then name, and the node as name."""

    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)
    match_on = models.CharField(_("read"), max_length=10, choices=MatchOn.choices, default=MatchOn.LABEL)
    label = models.CharField(_("label"), max_length=100, blank=True, help_text=_("e.g. instance"))
    pattern = models.CharField(_("regular expression"), max_length=300, blank=True,
                               help_text=_("e.g. ^([^:]+) to drop the port of host:port"))
    target = models.CharField(_("compare with"), max_length=20, choices=CITarget.choices, default=CITarget.NAME)
    attribute = models.CharField(_("attribute"), max_length=100, blank=True, help_text=_("e.g. ip_address"))

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("CI mapping rule")
        verbose_name_plural = _("CI mapping rules")

    def __str__(self):
        return self.name

    def clean(self):
        import re

        super().clean()
        errors = {}
        if self.match_on == MatchOn.LABEL and not self.label.strip():
            errors["label"] = _("Name the label to read.")
        if self.target == CITarget.ATTRIBUTE and not self.attribute.strip():
            errors["attribute"] = _("Name the CI attribute to compare with.")
        if self.pattern:
            try:
                re.compile(self.pattern)
            except re.error as error:
                errors["pattern"] = _("Not a valid regular expression: %(error)s") % {"error": error}
        if errors:
            raise ValidationError(errors)


class IncidentRule(models.Model):
    """Whether an alert opens an incident, and with which impact and urgency (the priority then
    comes from the matrix). The first active matching rule by order decides; no match: no incident.

    A rule with an environment or a criticality condition never matches an alert without a CI."""

    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)
    min_severity = models.CharField(_("at least severity"), max_length=10, choices=Severity.choices,
                                    default=Severity.MAJOR)
    environment = models.CharField(_("environment"), max_length=20, choices=Environment.choices, blank=True,
                                   help_text=_("Leave empty for any environment."))
    max_criticality = models.PositiveSmallIntegerField(
        _("CI criticality at least"), choices=Criticality.choices, null=True, blank=True,
        help_text=_("Leave empty for any criticality (1 is the most critical)."))
    open_incident = models.BooleanField(_("open an incident"), default=True)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Impact.choices, default=Impact.MEDIUM)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.MEDIUM)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("incident rule")
        verbose_name_plural = _("incident rules")

    def __str__(self):
        return self.name
