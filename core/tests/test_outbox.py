"""The transactional outbox: events written with the change, delivered once after commit,
retried with backoff, dead-lettered and replayed by an administrator."""

import datetime as dt
import threading
import time
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import Team
from core import events, outbox, tasks
from core.choices import AuditAction, DeliveryState
from core.models import AuditEntry, Delivery, OutboxEvent

pytestmark = pytest.mark.django_db

EVENT = "thing.happened"


@pytest.fixture
def handler():
    """An after-commit handler for thing.happened that records each call (and can be told to fail)."""
    calls, failures = [], []

    def handle(event):
        calls.append(event)
        if failures:
            raise failures[0]

    events.after_commit(EVENT, key="test.handler")(handle)
    handle.calls, handle.failures = calls, failures
    yield handle
    events._after_commit[EVENT].pop("test.handler", None)


def publish(record, **data):
    return events.publish(EVENT, record, data=data)


def test_publish_writes_the_event_and_its_delivery_in_the_same_transaction(handler, team, agent):
    # when a write publishes and then fails
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(team)
        raise RuntimeError("the write failed")
    # then nothing was published
    assert not OutboxEvent.objects.exists() and not Delivery.objects.exists()
    # and when it commits, the event is stored with JSON-safe data and a pending delivery
    at = timezone.now()
    with transaction.atomic():
        events.publish(EVENT, team, actor=agent, channel="web", data={"who": agent, "when": at, "pair": (1, 2)})
    row = OutboxEvent.objects.get()
    assert (row.name, row.record, row.object_repr, row.actor, row.channel) == (EVENT, team, str(team), agent, "web")
    assert row.data == {"who": agent.pk, "when": at.isoformat(), "pair": [1, 2]}
    assert list(row.deliveries.values_list("handler", "state", "attempts")) == [
        ("test.handler", DeliveryState.PENDING, 0)]


def test_event_nobody_handles_after_commit_is_stored_without_deliveries(team):
    events.publish("nobody.listens", team)
    assert OutboxEvent.objects.filter(name="nobody.listens").exists()
    assert not Delivery.objects.exists()


def test_delivered_once_after_commit_with_the_record_and_an_idempotency_key(
        handler, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            publish(team, note="hello")
            publish(team, note="again")
            assert handler.calls == []  # nothing runs inside the transaction
    assert [e.data["note"] for e in handler.calls] == ["hello", "again"]
    first = handler.calls[0]
    assert first.record == team
    delivery = Delivery.objects.get(pk=first.delivery_id)
    assert first.idempotency_key == delivery.idempotency_key == f"outbox-{delivery.pk}"
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 1
    # and a second dispatcher run delivers nothing twice
    assert outbox.deliver_due() == 0
    assert len(handler.calls) == 2


def test_a_deleted_record_reaches_the_handler_as_none(handler):
    team = Team.objects.create(name="Gone")
    publish(team)
    team.delete()
    outbox.deliver_due()
    assert handler.calls[0].record is None


def test_failed_delivery_is_retried_with_exponential_backoff(handler, team, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 10
    handler.failures.append(ConnectionError("SMTP server refused"))
    publish(team)
    # first attempt fails: due again in 10 s
    before = timezone.now()
    outbox.deliver_due()
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 1)
    assert "SMTP server refused" in delivery.last_error
    assert before + dt.timedelta(seconds=10) <= delivery.next_attempt_at <= timezone.now() + dt.timedelta(seconds=10)
    # not due yet: a dispatcher leaves it alone
    assert outbox.deliver_due() == 0
    # second failure doubles the wait
    Delivery.objects.update(next_attempt_at=timezone.now())
    before = timezone.now()
    outbox.deliver_due()
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert before + dt.timedelta(seconds=20) <= delivery.next_attempt_at <= timezone.now() + dt.timedelta(seconds=20)
    # and once the handler works again it is delivered
    handler.failures.clear()
    Delivery.objects.update(next_attempt_at=timezone.now())
    outbox.deliver_due()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (DeliveryState.DELIVERED, 3, "")


def test_a_failing_handler_writes_nothing_and_does_not_stop_the_others(team):
    def broken(event):
        Team.objects.create(name="half-done")
        raise ValueError("boom")

    def working(event):
        Team.objects.create(name="done")

    events.after_commit(EVENT, key="test.broken")(broken)
    events.after_commit(EVENT, key="test.working")(working)
    try:
        publish(team)
        outbox.deliver_due()
    finally:
        events._after_commit[EVENT].pop("test.broken")
        events._after_commit[EVENT].pop("test.working")
    assert dict(Delivery.objects.values_list("handler", "state")) == {
        "test.broken": DeliveryState.PENDING, "test.working": DeliveryState.DELIVERED}
    assert not Team.objects.filter(name="half-done").exists()
    assert Team.objects.filter(name="done").exists()


def test_dead_letter_after_max_attempts(handler, team, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    handler.failures.append(TimeoutError("webhook timed out"))
    publish(team)
    for _ in range(5):
        Delivery.objects.filter(state=DeliveryState.PENDING).update(next_attempt_at=timezone.now())
        outbox.deliver_due()
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DEAD, 3)
    assert "webhook timed out" in delivery.last_error
    assert len(handler.calls) == 3


def test_an_unknown_handler_is_retried_then_dead(team, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    event = OutboxEvent.objects.create(name=EVENT)
    Delivery.objects.create(event=event, handler="removed.handler")
    outbox.deliver_due()
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.DEAD
    assert "removed.handler" in delivery.last_error


def test_a_batched_handler_gets_a_whole_batch_at_once_and_fails_or_succeeds_with_it(team):
    calls = []

    def handle_all(batch):
        calls.append(sorted(e.data["n"] for e in batch))
        if len(calls) == 1:
            raise ConnectionError("down")

    events.after_commit(EVENT, key="test.batched", batch=True)(handle_all)
    try:
        events.publish_many(EVENT, [(team, {"n": n}) for n in range(5)])
        outbox.deliver_due()
        assert set(Delivery.objects.values_list("state", "attempts")) == {(DeliveryState.PENDING, 1)}
        Delivery.objects.update(next_attempt_at=timezone.now())
        outbox.deliver_due()
    finally:
        events._after_commit[EVENT].pop("test.batched")
    assert calls == [[0, 1, 2, 3, 4], [0, 1, 2, 3, 4]]
    assert set(Delivery.objects.values_list("state", "attempts")) == {(DeliveryState.DELIVERED, 2)}


@pytest.fixture
def dead_delivery(handler, team, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    handler.failures.append(ConnectionError("down"))
    publish(team)
    outbox.deliver_due()
    handler.failures.clear()
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.DEAD
    return delivery


def test_admin_sees_dead_deliveries_and_replays_them(client, admin_user, dead_delivery, handler,
                                                    django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    changelist = reverse("admin:core_delivery_changelist")
    page = client.get(changelist, {"state__exact": "dead"})
    assert page.status_code == 200
    assert "test.handler" in page.content.decode() and "down" in page.content.decode()
    # when the administrator replays it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "replay", "_selected_action": [dead_delivery.pk]})
    assert response.status_code == 302
    # then it is delivered (the replay woke the dispatcher) and the replay is audited
    dead_delivery.refresh_from_db()
    assert (dead_delivery.state, dead_delivery.attempts) == (DeliveryState.DELIVERED, 1)
    assert len(handler.calls) == 2
    entry = AuditEntry.objects.for_object(dead_delivery).get()
    assert (entry.action, entry.field, entry.old_value, entry.new_value, entry.actor) == (
        AuditAction.UPDATED, "state", "dead", "pending", admin_user)


def test_replay_command_resets_dead_deliveries(dead_delivery, capsys):
    call_command("outbox", "replay", "--dead")
    dead_delivery.refresh_from_db()
    assert (dead_delivery.state, dead_delivery.attempts) == (DeliveryState.PENDING, 0)
    assert "down" in dead_delivery.last_error  # kept until the next attempt, for the record
    assert "queued again: 1." in capsys.readouterr().out
    assert AuditEntry.objects.for_object(dead_delivery).count() == 1
    # and nothing left to replay the second time
    call_command("outbox", "replay", "--dead")
    assert AuditEntry.objects.for_object(dead_delivery).count() == 1


def test_status_command_counts_deliveries(dead_delivery, capsys):
    call_command("outbox", "status")
    out = capsys.readouterr().out
    assert "dead" in out and "test.handler" in out


def test_broker_outage_never_fails_the_wake_up(caplog):
    conf = tasks.deliver_outbox.app.conf
    eager, conf.task_always_eager = conf.task_always_eager, False
    try:
        with mock.patch.object(tasks.deliver_outbox, "apply_async",
                               side_effect=OperationalError("Error 111 connecting to 127.0.0.1:6379.")):
            tasks.deliver_soon()
    finally:
        conf.task_always_eager = eager
        tasks.forget_connection()
    assert "could not reach the broker" in caplog.text


def test_wake_ups_are_paced_and_the_trailing_one_comes_from_one_kept_thread(settings):
    settings.OUTBOX_WAKE_INTERVAL_SECONDS = 0.05
    conf = tasks.deliver_outbox.app.conf
    eager, conf.task_always_eager = conf.task_always_eager, False
    tasks.forget_connection()
    try:
        with mock.patch.object(tasks.deliver_outbox, "apply_async") as sent, \
                mock.patch.object(tasks, "_connection"):
            tasks.deliver_soon()  # the first of an interval: sent at once
            assert sent.call_count == 1
            tasks.deliver_soon()
            tasks.deliver_soon()  # these two share one wake-up at the interval's end
            assert sent.call_count == 1
            waker = tasks._waker
            time.sleep(0.2)
            assert sent.call_count == 2
            tasks.deliver_soon()  # a new interval: at once again
            assert sent.call_count == 3
            tasks.deliver_soon()
            time.sleep(0.2)
            assert sent.call_count == 4
            assert tasks._waker is waker and waker.is_alive()  # one thread, kept
    finally:
        conf.task_always_eager = eager
        tasks.forget_connection()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_dispatchers_never_deliver_one_delivery_twice(team):
    # given 200 pending deliveries
    seen, lock = [], threading.Lock()

    def slow(event):
        time.sleep(0.002)  # long enough for the two dispatchers to overlap
        with lock:
            seen.append((event.delivery_id, threading.get_ident()))

    events.after_commit(EVENT, key="test.slow")(slow)
    outbox.use_waker(None)  # no eager delivery on commit: the two dispatchers below do it all
    try:
        with transaction.atomic():
            events.publish_many(EVENT, [(team, {"n": n}) for n in range(200)])

        def dispatch():
            try:
                outbox.deliver_due(batch_size=10)
            finally:
                connection.close()

        # when two dispatchers run at once
        threads = [threading.Thread(target=dispatch) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        events._after_commit[EVENT].pop("test.slow")
        outbox.use_waker(tasks.deliver_soon)
    # then each delivery was handled exactly once, and both did part of the work
    ids = [delivery_id for delivery_id, _thread in seen]
    assert len(ids) == len(set(ids)) == 200
    assert len({thread for _id, thread in seen}) == 2
    assert Delivery.objects.filter(state=DeliveryState.DELIVERED).count() == 200


def test_prune_deletes_old_finished_events_only(handler, dead_delivery, team):
    old = timezone.now() - dt.timedelta(days=40)
    publish(team)
    outbox.deliver_due()  # delivered
    events.publish("nobody.listens", team)  # no deliveries at all
    OutboxEvent.objects.update(created_at=old)
    publish(team)  # recent
    call_command("outbox", "prune", "--days", "30")
    # the dead letter's event and the recent one stay
    assert sorted(OutboxEvent.objects.values_list("pk", flat=True)) == sorted(
        [dead_delivery.event_id, OutboxEvent.objects.latest("id").pk])


def test_quiet_publishing_writes_no_delivery_for_notifying_handlers(handler, team):
    # given: a mail handler next to the plain one, and an in-transaction subscriber
    events.after_commit(EVENT, key="test.mail", notifies=True)(lambda event: None)
    seen = []
    events.on(EVENT)(seen.append)
    try:
        # when
        with events.quiet(), transaction.atomic():
            publish(team)
        with events.quiet("test.hand"), transaction.atomic():
            publish(team)
        with transaction.atomic():
            publish(team)
    finally:
        events._after_commit[EVENT].pop("test.mail", None)
        events._notifying.discard("test.mail")
        events._in_transaction[EVENT].remove(seen.append)
    # then: quiet mutes the mail, and by prefix whatever else is named; subscribers still ran
    assert [sorted(e.deliveries.values_list("handler", flat=True)) for e in OutboxEvent.objects.order_by("id")] == [
        ["test.handler"], [], ["test.handler", "test.mail"]]
    assert len(seen) == 3


def test_what_a_handler_of_a_quiet_event_publishes_is_quiet_too(team):
    # given: a handler that publishes a follow-up event, which a mail handler listens to
    events.after_commit(EVENT, key="test.follow_up")(lambda event: events.publish("thing.followed", team))
    events.after_commit("thing.followed", key="test.mail", notifies=True)(lambda event: None)
    try:
        # when: the first event is published quietly, the second loudly; both are delivered
        with events.quiet(), transaction.atomic():
            publish(team)
        with transaction.atomic():
            publish(team)
        outbox.deliver_due()
    finally:
        events._after_commit[EVENT].pop("test.follow_up", None)
        events._after_commit["thing.followed"].pop("test.mail", None)
        events._notifying.discard("test.mail")
    # then: only the loud one's follow-up is mailed
    assert Delivery.objects.filter(handler="test.mail").count() == 1
