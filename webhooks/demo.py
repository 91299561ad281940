"""Demo webhooks: one switched-off subscription to a receiver on this host, and a few deliveries
of recent incident events in every state, so the delivery log has something to show."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from core import demo
from core.models import OutboxEvent
from webhooks import payloads, rules, services
from webhooks.choices import WebhookDeliveryState
from webhooks.models import Subscription, WebhookDelivery

demo.korean({"Demo receiver (switched off)": "데모 수신기 (꺼짐)"})

DEMO_URL = "http://127.0.0.1:8765/itsm-webhooks"
STATES = [
    (WebhookDeliveryState.DELIVERED, 200, 41, '{"ok":true}', ""),
    (WebhookDeliveryState.DELIVERED, 204, 18, "", ""),
    (WebhookDeliveryState.FAILED, 503, 2012, "Service Unavailable", "HTTP 503"),
    (WebhookDeliveryState.DEAD, None, 5001, "", "ConnectTimeout: timed out"),
]


@transaction.atomic
def seed(ctx):
    owner = ctx.shared.get("admin")
    subscription, _created = Subscription.objects.get_or_create(url=DEMO_URL, defaults={
        "name": demo.say("Demo receiver (switched off)"), "events": ["incident.*", "*.resolved"],
        "filters": {"priority": [1, 2, 3]}, "secret": rules.new_secret(), "active": False, "owner": owner})
    services.forget_patterns()  # written without the service: the cached patterns must not miss it
    if subscription.deliveries.exists():
        return
    incident_type = ContentType.objects.filter(app_label="incidents", model="incident").first()
    rows = list(OutboxEvent.objects.filter(content_type=incident_type).order_by("-id")[:len(STATES)])
    records = {r.pk: r for r in incident_type.model_class().objects.filter(pk__in=[e.object_id for e in rows])}
    now = timezone.now()
    made = []
    for index, (event, (state, status, latency, excerpt, error)) in enumerate(zip(reversed(rows), STATES)):
        record = records.get(event.object_id)
        made.append(WebhookDelivery(
            subscription=subscription, event=event, event_name=event.name, content_type=incident_type,
            object_id=event.object_id, record_key=f"{incident_type.pk}:{event.object_id}",
            body=payloads.body(name=event.name, at=event.occurred_at, event_id=event.pk, record=record,
                               channel=event.channel, actor=event.actor_id, data=event.data),
            state=state, attempts=1 if state == WebhookDeliveryState.DELIVERED else 3, response_status=status,
            latency_ms=latency, response_excerpt=excerpt, error=error,
            created_at=now - timedelta(hours=4 - index), last_attempt_at=now - timedelta(hours=3 - index),
            delivered_at=now - timedelta(hours=3 - index) if state == WebhookDeliveryState.DELIVERED else None,
            next_attempt_at=now + timedelta(minutes=10)))
    WebhookDelivery.objects.bulk_create(made)
    ctx.log(f"  webhooks: 1 subscription, {len(made)} deliveries")
