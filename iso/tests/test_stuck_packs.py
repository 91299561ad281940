"""A pack whose worker died mid-build does not stay "building" for ever: the beat sweep fails it
with a reason the requester can read, audits it and publishes evidence_pack.failed."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import AuditEntry, OutboxEvent
from iso import services, tasks
from iso.models import EvidencePack, PackState
from iso.tests.conftest import WEB, today_period

pytestmark = pytest.mark.django_db


def _building(manager, minutes_ago):
    start, end = today_period()
    pack = services.request_pack(actor=manager, channel=WEB, clauses=["8.5.1"], period_start=start,
                                 period_end=end, sample_size=3, seed="s")
    EvidencePack.objects.filter(pk=pack.pk).update(
        state=PackState.BUILDING, progress=40, started_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return pack


def test_a_pack_building_past_the_limit_fails_with_a_reason_and_an_event(manager, settings):
    settings.ISO_PACK_STUCK_MINUTES = 30
    stuck, working = _building(manager, 45), _building(manager, 5)
    start, end = today_period()
    queued = services.request_pack(actor=manager, channel=WEB, clauses=["8.5.1"], period_start=start,
                                   period_end=end, sample_size=3, seed="q")

    assert services.fail_stuck() == 1
    stuck.refresh_from_db()
    assert stuck.state == PackState.FAILED and "no worker finished it" in stuck.error and stuck.finished_at
    assert EvidencePack.objects.get(pk=working.pk).state == PackState.BUILDING
    assert EvidencePack.objects.get(pk=queued.pk).state == PackState.QUEUED
    event = OutboxEvent.objects.get(name="evidence_pack.failed")
    assert (event.object_id, event.data["reason"]) == (stuck.pk, services.STUCK_REASON)
    assert AuditEntry.objects.for_object(stuck).filter(field="state", new_value="failed").exists()
    assert services.fail_stuck() == 0  # safe to run twice

    settings.ISO_PACK_STUCK_MINUTES = 1  # the limit is the setting's
    assert tasks.fail_stuck_packs.apply().get() == 1
    assert EvidencePack.objects.get(pk=working.pk).state == PackState.FAILED


def test_the_sweep_is_on_the_beat_schedule():
    from itsm.celery import app

    entries = [e for e in app.conf.beat_schedule.values() if e["task"] == "iso.fail_stuck_packs"]
    assert len(entries) == 1 and entries[0]["schedule"] <= 600
    assert tasks.fail_stuck_packs.name in app.tasks


def test_the_reason_reads_in_korean_on_the_packs_page(client, manager):
    pack = _building(manager, 90)
    services.fail_stuck()
    client.force_login(manager)
    client.cookies["django_language"] = "ko"
    page = client.get("/iso/evidence-packs/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert f"pack-{pack.pk}" in page and "빌드가 중단되었습니다" in page


def _fail_mid_build(manager, settings, monkeypatch, *, at_progress):
    """Run a real build while the sweep fails its pack: at a progress step, or after the last one."""
    settings.ISO_PACK_STUCK_MINUTES = 30
    start, end = today_period()
    pack = services.request_pack(actor=manager, channel=WEB, clauses=["8.5.1", "8.5.2"], period_start=start,
                                 period_end=end, sample_size=3, seed="s")
    real_write, steps = services.packs.write, []

    def slow_write(pack, path, *, progress):
        def reporting(done, total):
            steps.append(done)
            if at_progress and done == 1:
                _sweep(pack)
            progress(done, total)
        sample = real_write(pack, path, progress=reporting)
        if not at_progress:
            _sweep(pack)
        return sample

    def _sweep(pack):
        EvidencePack.objects.filter(pk=pack.pk).update(started_at=timezone.now() - dt.timedelta(minutes=45))
        assert services.fail_stuck() == 1

    monkeypatch.setattr(services.packs, "write", slow_write)
    built = services.build(pack.pk)
    return built, steps


def test_a_build_that_finishes_after_the_sweep_failed_its_pack_leaves_it_failed(manager, settings, monkeypatch):
    built, _ = _fail_mid_build(manager, settings, monkeypatch, at_progress=False)
    assert built.state == PackState.FAILED and built.error == services.STUCK_REASON
    assert not built.file and built.size_bytes == 0 and built.progress < 100
    assert not AuditEntry.objects.for_object(built).filter(field="state", new_value="ready").exists()


def test_a_build_still_running_when_the_sweep_failed_its_pack_stops_at_its_next_step(manager, settings, monkeypatch):
    built, steps = _fail_mid_build(manager, settings, monkeypatch, at_progress=True)
    assert steps == [1]  # the second clause was never written
    assert built.state == PackState.FAILED and built.error == services.STUCK_REASON and not built.file
