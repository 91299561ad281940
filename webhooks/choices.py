"""The states of a webhook delivery, grouped by what the sender does with them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookDeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    # The last attempt failed; another follows after the backoff (still owed to the receiver).
    FAILED = "failed", _("Failed, retrying")
    DEAD = "dead", _("Dead (gave up)")


# Owed to the receiver: they hold back the later events of their record (ordering).
UNFINISHED = (WebhookDeliveryState.PENDING, WebhookDeliveryState.FAILED)

BADGES = {
    WebhookDeliveryState.PENDING: "secondary",
    WebhookDeliveryState.DELIVERED: "success",
    WebhookDeliveryState.FAILED: "warning",
    WebhookDeliveryState.DEAD: "danger",
}
