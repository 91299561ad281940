"""A real Celery worker (a subprocess) against Redis and the test database: a manager's pack
request goes through the outbox and the broker, the worker builds it, the progress reaches 100 %
and the file can be opened."""

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from iso import services
from iso.models import EvidencePack, PackState
from iso.tests.conftest import WEB, make_changes
from tests.database_url import database_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True),
              pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def test_worker_builds_a_pack_requested_through_the_outbox(tmp_path, settings, agent, manager):
    from itsm.celery import app

    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "itsm.settings",
           "DATABASE_URL": database_url(connection.settings_dict),
           "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3"),
           "MEDIA_ROOT": str(media), "DEBUG": "false"}
    subprocess.run([CELERY, "-A", "itsm", "purge", "-f"], cwd=ROOT, env=env, check=True, capture_output=True,
                   timeout=30)
    make_changes(agent, 3)
    log = open(tmp_path / "worker.log", "w")
    worker = subprocess.Popen(
        [CELERY, "-A", "itsm", "worker", "-c", "1", "-l", "info", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-n", f"iso-test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # the request's wake-up goes to the broker, not in-process
    try:
        pack = services.request_pack(actor=manager, channel=WEB, clauses=["8.5.1"],
                                     period_start=timezone.localdate(), period_end=timezone.localdate(),
                                     sample_size=2, seed="broker")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            pack.refresh_from_db()
            if pack.state in (PackState.READY, PackState.FAILED):
                break
            time.sleep(0.5)
    finally:
        app.conf.task_always_eager = eager
        _stop(worker)
        log.close()
    worker_log = (tmp_path / "worker.log").read_text()
    assert pack.state == PackState.READY, worker_log[-3000:]
    assert pack.progress == 100 and "iso.tasks.build_pack" in worker_log
    with zipfile.ZipFile(media / pack.file.name) as archive:
        assert "index.pdf" in archive.namelist()
    assert EvidencePack.objects.count() == 1
