"""Use cases of webhooks out. Each takes the actor and channel, runs in one transaction, writes
the audit trail and publishes its events (core.events); HTTP happens only in webhooks.sender,
fed by a Celery task, never in a request or inside these transactions."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Team
from cmdb.models import ConfigurationItem
from core import audit, events, memo
from core.choices import AuditAction, Channel
from core.exceptions import DomainError, StaleVersion
from core.models import OutboxEvent
from webhooks import catalog, payloads, rules, targets
from webhooks.choices import UNFINISHED, WebhookDeliveryState
from webhooks.models import Subscription, WebhookDelivery

log = logging.getLogger(__name__)

AUDITED = ("name", "url", "events", "filters", "active", "owner_id")
BACKFILL_LIMIT = 10_000


# --- subscriptions -------------------------------------------------------------------------------
def clean_fields(fields: dict, *, instance=None) -> dict:
    """Check a subscription's fields; DomainError naming the field at fault."""
    clean = dict(fields)
    if "url" in clean or instance is None:
        url = (clean.get("url") or "").strip()
        if not url:
            raise DomainError(_("Give the URL that receives the webhooks."), field="url")
        try:
            targets.check(url)
        except targets.TargetRefused as refused:
            raise DomainError(_("This URL is refused: %(reason)s") % {"reason": refused}, field="url") from None
        clean["url"] = url
    if "events" in clean or instance is None:
        problems = rules.check_patterns(clean.get("events"), set(catalog.event_names()))
        if problems:
            raise DomainError(" ".join(problems), field="events")
        clean["events"] = list(dict.fromkeys(clean["events"]))
    if "filters" in clean:
        try:
            filters = rules.normalise_filters(clean["filters"])
        except ValueError as error:
            key, message = error.args
            raise DomainError(message, field="filters") from None
        missing = _missing_ids(filters)
        if missing:
            raise DomainError(missing, field="filters")
        clean["filters"] = filters
    if clean.get("secret"):
        try:
            rules.secret_key(clean["secret"])
        except ValueError as error:
            raise DomainError(str(error), field="secret") from None
    elif instance is None or "secret" in clean:
        clean["secret"] = instance.secret if instance is not None else rules.new_secret()
    return clean


def _missing_ids(filters):
    for key, model in (("service", ConfigurationItem), ("group", Team)):
        wanted = set(filters.get(key, ()))
        if wanted:
            found = set(model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
            if wanted - found:
                return _("No %(key)s with id %(ids)s.") % {"key": key, "ids": ", ".join(map(str, sorted(wanted - found)))}
    return ""


@transaction.atomic
def save_subscription(instance, *, actor, channel, fields, expected_version=None):
    """Create (instance None) or update a subscription. The owner is the creator unless given."""
    if instance is not None and not fields and expected_version is None:
        return instance
    fields = clean_fields(fields, instance=instance)
    if instance is None:
        fields.setdefault("owner", actor if getattr(actor, "pk", None) else None)
        subscription = Subscription.objects.create(**fields)
        audit.record(subscription, actor=actor, channel=channel, action=AuditAction.CREATED,
                     new=audit.snapshot(subscription, AUDITED))
        events.publish("webhook.created", subscription, actor=actor, channel=channel)
    else:
        subscription = Subscription.objects.select_for_update().get(pk=instance.pk)
        if expected_version is not None and expected_version != subscription.version:
            raise StaleVersion(subscription.version)
        if not fields:
            return subscription  # nothing sent, nothing changes (not even the version)
        before = audit.snapshot(subscription, AUDITED)
        secret_changed = bool(fields.get("secret")) and fields["secret"] != subscription.secret
        for name, value in fields.items():
            setattr(subscription, name, value)
        if fields.get("active") and subscription.disabled_at:
            # Switched back on by hand: its health starts again from nothing.
            subscription.disabled_at, subscription.disabled_reason = None, ""
            subscription.failure_streak, subscription.dead_streak, subscription.failing_since = 0, 0, None
        subscription.version += 1
        subscription.save()
        diff = audit.changes_between(before, audit.snapshot(subscription, AUDITED))
        if secret_changed:
            diff["secret"] = ("•••", "•••")  # that it changed, never the value
        if diff:
            audit.record_changes(subscription, actor=actor, channel=channel, changes=diff)
        events.publish("webhook.updated", subscription, actor=actor, channel=channel, data={"fields": sorted(diff)})
    forget_patterns()
    return subscription


@transaction.atomic
def delete_subscription(subscription, *, actor, channel):
    audit.record(subscription, actor=actor, channel=channel, action=AuditAction.DELETED,
                 old=audit.snapshot(subscription, AUDITED))
    pk = subscription.pk
    subscription.delete()
    subscription.pk = pk
    forget_patterns()
    return subscription


# --- the fan-out: outbox events → deliveries ---------------------------------------------------------
def forget_patterns():
    """A subscription changed: every process reads the patterns again (core.memo: now, and once
    the change is committed). Also for writes that bypass the services (the demo)."""
    memo.forget()


def _load_patterns() -> list[str]:
    return sorted({p for chosen in Subscription.objects.filter(active=True).values_list("events", flat=True)
                   for p in chosen or ()})


def active_patterns() -> list[str]:
    """The event patterns of the active subscriptions, kept in the process with the configuration
    (core.memo: moved by every subscription write). Issue 12: they were a Redis read of their own
    on every event published (a create's third cache read); now the request's one read of the
    configuration generation covers them. Without the shared cache they are read from the
    database."""
    return memo.memoised("webhooks.active_patterns", _load_patterns)


def wanted(event) -> bool:
    """Asked at publish time (events.after_commit `when`): does any active subscription want it?"""
    if event.name.partition(".")[0] in rules.PRIVATE_TYPES:
        return False
    patterns = active_patterns()
    return patterns is None or rules.wants(patterns, event.name)


def facts(record) -> dict:
    return {name: getattr(record, name, None) for name in rules.FILTER_KEYS.values()}


def _record_key(content_type_id, object_id, event_id):
    # Events about no record are ordered by nothing but themselves.
    return f"{content_type_id}:{object_id}" if object_id is not None else f"event:{event_id}"


def fanout(batch) -> int:
    """Turn outbox events (core.events.Event, as read back by the outbox) into deliveries for the
    subscriptions that want them; safe to run twice (one row per subscription and event)."""
    subscriptions = list(Subscription.objects.filter(active=True))
    wanted_by = []
    for event in batch:
        matching = [s for s in subscriptions if rules.wants(s.events, event.name)
                    and (not s.filters or rules.record_matches(s.filters, facts(event.record)))]
        if matching:
            wanted_by.append((event, matching))
    rows = []
    # One representation per record of the batch: its state now, after the commits that published
    # these events (the outbox runs after commit), the same for each of its events here.
    representations = payloads.represent_all([event.record for event, _subs in wanted_by])
    for event, matching in wanted_by:
        record = event.record
        content_type_id = ContentType.objects.get_for_model(record).pk if record is not None else None
        object_id = record.pk if record is not None else None
        text = payloads.body(name=event.name, at=event.at, event_id=event.id, record=record, channel=event.channel,
                             actor=event.actor, data=event.data,
                             representation=representations.get((type(record), object_id)))
        for subscription in matching:
            rows.append(WebhookDelivery(
                subscription=subscription, event_id=event.id, event_name=event.name,
                content_type_id=content_type_id, object_id=object_id,
                record_key=_record_key(content_type_id, object_id, event.id), body=text))
    if rows:
        WebhookDelivery.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        transaction.on_commit(_wake)
    return len(rows)


_waker = None


def use_waker(func):
    """Install what asks a worker to send (webhooks.tasks.send_soon); the wiring does."""
    global _waker
    _waker = func


def _wake():
    if _waker is not None:
        _waker()


def fanout_outbox_events(rows) -> int:
    """The fan-out for stored outbox events (a replay over a time range that backfills)."""
    from core.outbox import _records  # the outbox's own bulk loader of events' records

    records = _records(rows)
    batch = [events.Event(name=r.name, record=records.get((r.content_type_id, r.object_id)), actor=r.actor,
                          channel=r.channel, data=r.data, at=r.occurred_at, id=r.pk) for r in rows]
    return fanout(batch)


# --- replay ---------------------------------------------------------------------------------------
def _reset(rows, *, actor, channel, now):
    for delivery in rows:
        audit.record(delivery.subscription, actor=actor, channel=channel, action=AuditAction.UPDATED,
                     field="delivery", old=delivery.state, new=WebhookDeliveryState.PENDING, at=now,
                     context={"replayed": delivery.webhook_id, "event": delivery.event_name,
                              "attempts": delivery.attempts})
        delivery.state, delivery.attempts, delivery.next_attempt_at = WebhookDeliveryState.PENDING, 0, now
        delivery.delivered_at, delivery.error, delivery.created_at = None, "", now
    WebhookDelivery.objects.bulk_update(rows, ["state", "attempts", "next_attempt_at", "delivered_at", "error",
                                               "created_at"])


@transaction.atomic
def replay(delivery, *, actor, channel=Channel.WEB):
    """Send one delivery again, with its webhook-id (receivers that already have it skip it).
    One still owed is left as it is."""
    locked = WebhookDelivery.objects.select_for_update().select_related("subscription").get(pk=delivery.pk)
    if locked.state in UNFINISHED:
        raise DomainError(_("This delivery is still being sent."), field="state", code="pending")
    _reset([locked], actor=actor, channel=channel, now=timezone.now())
    transaction.on_commit(_wake)
    return locked


@transaction.atomic
def replay_range(subscription, *, start, end, actor, channel=Channel.WEB, states=None) -> int:
    """Send again every finished delivery of the subscription made between start and end, and
    make the ones it lacks for outbox events of that time that it wants (while it was off)."""
    if start is None or end is None or start >= end:
        raise DomainError(_("The range needs a start before its end."), field="start")
    now = timezone.now()
    made = fanout_outbox_events(list(
        OutboxEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .exclude(pk__in=WebhookDelivery.objects.filter(subscription=subscription).values("event_id"))
        .select_related("actor").order_by("id")[:BACKFILL_LIMIT])) if subscription.active else 0
    queryset = (WebhookDelivery.objects.select_for_update().select_related("subscription")
                .filter(subscription=subscription, created_at__gte=start, created_at__lt=end)
                .exclude(state__in=UNFINISHED))
    if states:
        queryset = queryset.filter(state__in=states)
    rows = list(queryset.order_by("event_id"))
    _reset(rows, actor=actor, channel=channel, now=now)
    if rows:
        transaction.on_commit(_wake)
    return len(rows) + made


# --- health ----------------------------------------------------------------------------------------
def disable_policy():
    return rules.DisablePolicy(
        failing_for=timezone.timedelta(seconds=getattr(settings, "WEBHOOKS_DISABLE_AFTER_SECONDS", 24 * 3600)),
        dead_in_a_row=getattr(settings, "WEBHOOKS_DISABLE_AFTER_DEAD", 10))


@transaction.atomic
def record_health(subscription_id, *, succeeded: int, failed: int, dead: int, gone: bool, now):
    """After a batch of attempts to one subscription: its streaks, and off if it keeps failing."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription_id)
    if succeeded and not failed:
        if subscription.failure_streak or subscription.dead_streak or subscription.failing_since:
            Subscription.objects.filter(pk=subscription_id).update(failure_streak=0, dead_streak=0, failing_since=None,
                                                                  last_success_at=now)
        else:
            Subscription.objects.filter(pk=subscription_id).update(last_success_at=now)
        return subscription
    if succeeded:
        subscription.failure_streak, subscription.failing_since, subscription.last_success_at = failed, now, now
        subscription.dead_streak = dead
    else:
        subscription.failure_streak += failed
        subscription.failing_since = subscription.failing_since or now
        subscription.dead_streak += dead
    subscription.save(update_fields=["failure_streak", "failing_since", "dead_streak", "last_success_at"])
    reason = rules.disable_reason(failing_since=subscription.failing_since, dead_streak=subscription.dead_streak,
                                  now=now, policy=disable_policy(), gone=gone)
    if reason and subscription.active:
        disable(subscription, reason=reason, now=now)
    return subscription


def disable(subscription, *, reason, now, actor=None, channel=Channel.SYSTEM):
    """Switch a failing subscription off and tell its owner (webhook.disabled → mail, after commit)."""
    subscription.active, subscription.disabled_at, subscription.disabled_reason = False, now, reason[:300]
    subscription.version += 1
    subscription.save(update_fields=["active", "disabled_at", "disabled_reason", "version"])
    audit.record(subscription, actor=actor, channel=channel, action=AuditAction.UPDATED, field="active",
                 old=True, new=False, context={"reason": reason}, at=now)
    events.publish("webhook.disabled", subscription, actor=actor, channel=channel, data={"reason": reason}, at=now)
    forget_patterns()
    log.warning("webhook subscription %s disabled: %s", subscription.pk, reason)
