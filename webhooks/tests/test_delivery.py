"""Delivery end to end: real incidents, the real outbox, a real HTTP receiver on 127.0.0.1."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from core.choices import Channel
from incidents import services as incident_services
from webhooks import sender, services
from webhooks.models import Subscription, WebhookDelivery
from webhooks.tests.conftest import make_due

pytestmark = pytest.mark.django_db


def test_an_incident_event_arrives_signed_per_standard_webhooks(receiver, subscribe, open_incident, pump):
    # given
    subscription = subscribe(receiver.url)
    # when
    incident = open_incident(title="VPN down", impact=1, urgency=1)
    pump()
    # then
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    payload = Webhook(subscription.secret).verify(body, headers)
    assert payload["type"] == "incident.created"
    assert payload["data"]["number"] == incident.number
    assert payload["data"]["title"] == "VPN down"
    assert payload["data"]["priority"] == 1
    delivery = WebhookDelivery.objects.get()
    assert headers["webhook-id"] == delivery.webhook_id
    assert (delivery.state, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert delivery.latency_ms is not None and delivery.response_excerpt == '{"ok":true}'


def test_a_forged_signature_does_not_verify(receiver, subscribe, open_incident, pump):
    subscribe(receiver.url)
    open_incident()
    pump()
    headers, body = receiver.received[0]
    from standardwebhooks.webhooks import WebhookVerificationError

    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQQ==").verify(body, headers)


def test_a_retry_carries_the_same_webhook_id_and_body(receiver, subscribe, open_incident, pump):
    # given a receiver failing twice
    subscribe(receiver.url)
    open_incident()
    receiver.status = 503
    pump()
    pump_again = sender.deliver_due
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.response_status) == ("failed", 1, 503)
    assert delivery.next_attempt_at > timezone.now()
    make_due()
    pump_again()
    # when it comes back
    receiver.status = 200
    make_due()
    pump_again()
    # then it got the event once, with the id the failed attempts had
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("delivered", 3)
    assert receiver.ids() == [delivery.webhook_id]
    assert receiver.received[0][1].decode() == delivery.body


def test_events_of_one_record_go_in_order_and_wait_for_a_failing_one(receiver, subscribe, open_incident, agent, pump):
    # given three events of one incident, the receiver failing the first
    subscribe(receiver.url)
    incident = open_incident()
    receiver.status = 500
    pump()
    incident_services.comment(incident, actor=agent, channel=Channel.WEB, body="Looking into it")
    incident.refresh_from_db()
    incident_services.update_incident(incident, actor=agent, channel=Channel.WEB,
                                      changes={"description": "Mail relay is down"}, expected_version=incident.version)
    pump()
    # then nothing after the failing first event was sent
    states = list(WebhookDelivery.objects.order_by("event_id").values_list("event_name", "state", "attempts"))
    assert states == [("incident.created", "failed", 1), ("incident.commented", "pending", 0),
                      ("incident.updated", "pending", 0)]
    # when the receiver is back and time passes
    receiver.status = 200
    make_due()
    sender.deliver_due()
    # then everything arrived, in event order
    assert [b["type"] for b in receiver.bodies()] == ["incident.created", "incident.commented", "incident.updated"]


def test_receiver_down_then_up_gets_everything_in_order(receiver, subscribe, open_incident, agent, pump):
    # given 5 incidents with 2 events each while nothing listens
    subscription = subscribe(receiver.url)
    receiver.stop()
    for i in range(5):
        incident = open_incident(title=f"Outage {i}")
        incident_services.update_incident(incident, actor=agent, channel=Channel.WEB,
                                          changes={"description": "more"}, expected_version=incident.version)
    pump()
    assert WebhookDelivery.objects.filter(state="failed").count() == 5  # the first event of each incident
    assert WebhookDelivery.objects.filter(state="pending").count() == 5  # waiting behind it
    # when it comes back on the same port, and the backoff has passed
    receiver.start()
    for _round in range(3):
        make_due()
        sender.deliver_due()
    # then every event arrived once, in order per record
    assert sorted(receiver.ids()) == sorted(WebhookDelivery.objects.values_list("webhook_id", flat=True))
    by_record = {}
    for body in receiver.bodies():
        by_record.setdefault(body["data"]["number"], []).append(body["type"])
    assert list(by_record.values()) == [["incident.created", "incident.updated"]] * 5
    assert WebhookDelivery.objects.exclude(state="delivered").count() == 0
    subscription.refresh_from_db()
    assert (subscription.failure_streak, subscription.failing_since) == (0, None)


def test_fanout_is_idempotent_per_subscription_and_event(receiver, subscribe, open_incident):
    from core.models import OutboxEvent

    subscribe(receiver.url)
    open_incident()
    rows = list(OutboxEvent.objects.select_related("actor").filter(name="incident.created"))
    services.fanout_outbox_events(rows)
    services.fanout_outbox_events(rows)
    assert WebhookDelivery.objects.count() == 1


def test_filters_and_event_patterns_choose_the_deliveries(receiver, subscribe, open_incident, pump, team):
    # given one subscription for P1 only and one for comments only
    p1 = subscribe(receiver.url, filters={"priority": [1]})
    comments = subscribe(receiver.url, events=["*.commented"])
    # when a P1 and a P3 incident are opened
    open_incident(impact=1, urgency=1)
    open_incident(impact=3, urgency=3)
    pump()
    # then only the P1 one was owed to the first, nothing to the second
    assert list(p1.deliveries.values_list("event_name", flat=True)) == ["incident.created"]
    assert comments.deliveries.count() == 0


def test_an_inactive_subscription_collects_nothing(receiver, subscribe, open_incident, pump):
    subscribe(receiver.url, active=False)
    open_incident()
    pump()
    assert WebhookDelivery.objects.count() == 0
    assert receiver.received == []


def test_a_subscription_failing_for_a_day_is_disabled_and_its_owner_told(receiver, subscribe, open_incident, pump,
                                                                          manager, settings):
    # given a receiver that has answered 500 since yesterday
    subscription = subscribe(receiver.url)
    receiver.status = 500
    open_incident()
    pump()
    Subscription.objects.filter(pk=subscription.pk).update(failing_since=timezone.now() - datetime.timedelta(hours=25))
    # when the next attempt fails too
    make_due()
    sender.deliver_due()
    # then it is switched off, audited, and its owner is mailed (through the outbox)
    subscription.refresh_from_db()
    assert subscription.active is False
    assert subscription.disabled_reason == "Every delivery failed for 24 hours."
    mail.outbox.clear()
    from core import outbox

    outbox.deliver_due()
    assert [m.to for m in mail.outbox if "switched off" in m.subject] == [[manager.email]]
    # and nothing more is sent to it
    receiver.status = 200
    make_due()
    assert sender.deliver_due() == 0


def test_consecutive_dead_deliveries_disable(receiver, subscribe, open_incident, pump, settings):
    settings.WEBHOOKS_DISABLE_AFTER_DEAD = 2
    settings.WEBHOOKS_RETRY_WINDOW_SECONDS = 0  # the first failure is the last attempt
    subscription = subscribe(receiver.url)
    receiver.status = 500
    open_incident()
    open_incident()
    pump()
    subscription.refresh_from_db()
    assert list(WebhookDelivery.objects.values_list("state", flat=True)) == ["dead", "dead"]
    assert subscription.active is False and "2 deliveries in a row" in subscription.disabled_reason


def test_410_gone_disables_at_once(receiver, subscribe, open_incident, pump):
    subscription = subscribe(receiver.url)
    receiver.status = 410
    open_incident()
    pump()
    subscription.refresh_from_db()
    assert subscription.active is False
    assert subscription.disabled_reason == "The receiver answered 410 Gone."


def test_a_redirect_is_not_followed(receiver, subscribe, open_incident, pump):
    other = type(receiver)()
    try:
        receiver.redirect_to = other.url
        subscribe(receiver.url)
        open_incident()
        pump()
        delivery = WebhookDelivery.objects.get()
        assert (delivery.state, delivery.response_status) == ("failed", 302)
        assert "redirects are not followed" in delivery.error
        assert other.received == []
    finally:
        other.stop()


def test_replay_sends_a_delivered_one_again_with_its_id(receiver, subscribe, open_incident, pump, manager):
    subscribe(receiver.url)
    open_incident()
    pump()
    delivery = WebhookDelivery.objects.get()
    services.replay(delivery, actor=manager)
    sender.deliver_due()
    assert receiver.ids() == [delivery.webhook_id, delivery.webhook_id]


def test_replay_of_a_time_range_backfills_what_an_inactive_subscription_missed(receiver, subscribe, open_incident,
                                                                                pump, manager):
    # given a subscription that was off while two incidents were opened
    subscription = subscribe(receiver.url, active=False)
    start = timezone.now() - datetime.timedelta(minutes=1)
    open_incident()
    open_incident()
    pump()
    assert receiver.received == []
    subscription = services.save_subscription(subscription, actor=manager, channel=Channel.WEB,
                                              fields={"active": True})
    # when the time is replayed
    count = services.replay_range(subscription, start=start, end=timezone.now(), actor=manager)
    sender.deliver_due()
    # then both events arrive
    assert count == 2
    assert [b["type"] for b in receiver.bodies()] == ["incident.created", "incident.created"]
