"""Records of webhooks out: who wants which events where (Subscription) and every attempt to tell
them (WebhookDelivery, one per subscription and outbox event)."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import OutboxEvent
from webhooks.choices import WebhookDeliveryState


class Subscription(models.Model):
    """An integrator's endpoint: the events it wants (names or wildcards such as `incident.*`),
    optional filters on the record (service, priority, group), the Standard Webhooks secret the
    deliveries are signed with. Disabled by the sender when it keeps failing; its owner is told."""

    name = models.CharField(_("name"), max_length=100, blank=True)
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list, help_text=_("Event names; wildcards such as incident.*"))
    # {"service": [ci ids], "priority": [1, 2], "group": [team ids]}: every key given must match.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    secret = models.CharField(_("secret"), max_length=120)
    active = models.BooleanField(_("active"), default=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="webhook_subscriptions", verbose_name=_("owner"))
    # Health: attempts failed in a row, since when (no success in between), deliveries dead in a row.
    failure_streak = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    dead_streak = models.PositiveIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return self.name or self.url

    def get_absolute_url(self):
        return reverse("webhooks:detail", args=[self.pk])


def new_webhook_id():
    return f"msg_{uuid.uuid4().hex}"


class WebhookDelivery(models.Model):
    """One outbox event owed to one subscription. `webhook_id` is fixed when the row is made, so
    every retry and replay carries the same `webhook-id` header and receivers can deduplicate."""

    # No index of its own: webhook_delivery_once and webhook_delivery_log_idx lead with this column.
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries",
                                     db_index=False)
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="+")
    event_name = models.CharField(max_length=100)
    webhook_id = models.CharField(max_length=40, unique=True, default=new_webhook_id)
    # The record the event is about: the sender keeps one record's events in order per subscription.
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    record_key = models.CharField(max_length=60)
    # The JSON body as first built: every attempt sends these very bytes (only the timestamp and
    # signature headers change).
    body = models.TextField()
    state = models.CharField(max_length=10, choices=WebhookDeliveryState.choices,
                             default=WebhookDeliveryState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=1000, blank=True)
    error = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            # The fan-out may run twice for one event (a retried outbox delivery): one row each.
            models.UniqueConstraint(fields=["subscription", "event"], name="webhook_delivery_once"),
        ]
        indexes = [
            # The sender's claim: due rows still owed, so delivered history costs nothing.
            models.Index(fields=["next_attempt_at"], name="webhook_delivery_due_idx",
                         condition=Q(state__in=["pending", "failed"])),
            # "Is an earlier event of this record still owed to this subscription?"
            models.Index(fields=["subscription", "record_key", "event"], name="webhook_delivery_chain_idx",
                         condition=Q(state__in=["pending", "failed"])),
            # The delivery log of one subscription, newest first, by state.
            models.Index(fields=["subscription", "state", "-id"], name="webhook_delivery_log_idx"),
        ]

    def __str__(self):
        return f"{self.event_name} → {self.subscription_id} ({self.webhook_id})"
