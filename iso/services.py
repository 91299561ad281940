"""Writing evidence packs: the request (validated, audited, handed to a worker through the outbox)
and the build (queued → building → ready | failed). A failed build keeps no file: nothing half
built is ever served."""

from __future__ import annotations

import datetime as dt
import logging
import os

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from core import audit, events
from core.choices import Channel
from iso import packs, rules
from iso.models import EvidencePack, PackState

log = logging.getLogger(__name__)
AUDITED = ("clauses", "period_start", "period_end", "sample_size", "seed", "language", "state")
REQUESTED = "evidence_pack.requested"
FAILED = "evidence_pack.failed"
# Stored untranslated and translated where shown (a build's own errors are exception texts).
STUCK_REASON = gettext_noop("The build stopped: no worker finished it in time. Request the pack again.")


def request_pack(*, actor, channel, clauses=None, period_start=None, period_end=None, sample_size=None,
                 seed=None, language="en"):
    """A queued pack; the build starts after commit (iso.tasks.build_pack through the outbox)."""
    clause_ids, seed = rules.check_request(clause_ids=clauses, period_start=period_start, period_end=period_end,
                                           sample_size=sample_size, seed=seed)
    with transaction.atomic():
        pack = EvidencePack.objects.create(requested_by=actor, clauses=clause_ids, period_start=period_start,
                                           period_end=period_end, sample_size=sample_size, seed=seed,
                                           language=language if language in ("en", "ko") else "en")
        audit.record_creation(pack, actor=actor, channel=channel, fields=AUDITED)
        events.publish(REQUESTED, pack, actor=actor, channel=channel)
    return pack


def _set(pack_id, **values):
    EvidencePack.objects.filter(pk=pack_id).update(**values)


class _NoLongerBuilding(Exception):
    """The sweep failed this pack while its build ran: the requester was told it failed and may
    have asked again, so the build stops and its file is thrown away."""


def _report_progress(pack_id, percent):
    # One statement both moves the bar and tells whether the pack is still ours to build.
    if not EvidencePack.objects.filter(pk=pack_id, state=PackState.BUILDING).update(progress=percent):
        raise _NoLongerBuilding


def build(pack_id: int) -> EvidencePack | None:
    """Build a queued pack (a pack already building, ready or failed is left alone: safe to run twice)."""
    with transaction.atomic():
        pack = EvidencePack.objects.select_for_update(skip_locked=True).filter(pk=pack_id).first()
        if pack is None or pack.state != PackState.QUEUED:
            return pack
        pack.state, pack.started_at = PackState.BUILDING, timezone.now()
        pack.save(update_fields=["state", "started_at"])
    handle = packs.temporary_file()
    handle.close()
    try:
        def progress(done, total):
            _report_progress(pack.pk, min(99, int(100 * done / total)))

        sample = packs.write(pack, handle.name, progress=progress)
        with transaction.atomic():
            if not EvidencePack.objects.select_for_update().filter(pk=pack.pk, state=PackState.BUILDING).exists():
                raise _NoLongerBuilding
            with open(handle.name, "rb") as stream:
                pack.file.save(f"evidence-pack-{pack.pk}.zip", File(stream), save=False)
            pack.state, pack.progress, pack.finished_at = PackState.READY, 100, timezone.now()
            pack.sample, pack.size_bytes = sample, pack.file.size
            pack.save(update_fields=["file", "state", "progress", "finished_at", "sample", "size_bytes"])
            audit.record_changes(pack, actor=None, channel=Channel.SYSTEM,
                                 changes={"state": (PackState.BUILDING, PackState.READY)})
    except _NoLongerBuilding:
        log.warning("evidence pack %s was failed while it was building: its build is dropped", pack.pk)
        if pack.file:
            pack.file.delete(save=False)
    except Exception as exc:  # noqa: BLE001 - any failure ends as a failed pack, never a half file
        log.exception("evidence pack %s failed", pack.pk)
        if pack.file:
            pack.file.delete(save=False)
        _set(pack.pk, state=PackState.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], file="",
             finished_at=timezone.now())
        audit.record_changes(pack, actor=None, channel=Channel.SYSTEM,
                             changes={"state": (PackState.BUILDING, PackState.FAILED)})
    finally:
        if os.path.exists(handle.name):
            os.unlink(handle.name)
    pack.refresh_from_db()
    return pack


def fail_stuck(*, now=None) -> int:
    """Packs building for longer than ISO_PACK_STUCK_MINUTES end as failed with a reason, so the
    requester is not left watching a progress bar no worker moves any more (the worker died or
    was killed mid-build; nothing retries a pack that left `queued`). Returns how many.

    Safe to run twice and beside a live build: a pack whose row a build holds is skipped. Failed is
    final: a build still running on a slow worker stops at its next progress step, and one that
    finishes after all throws its file away (iso.services.build), so the pack never turns ready
    after its requester was told it failed."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.ISO_PACK_STUCK_MINUTES)
    with transaction.atomic():
        stuck = list(EvidencePack.objects.select_for_update(skip_locked=True)
                     .filter(state=PackState.BUILDING, started_at__lt=cutoff).order_by("pk"))
        if not stuck:
            return 0
        EvidencePack.objects.filter(pk__in=[p.pk for p in stuck]).update(
            state=PackState.FAILED, error=STUCK_REASON, finished_at=now)
        for pack in stuck:
            log.warning("evidence pack %s was still building after %s minutes: failed", pack.pk,
                        settings.ISO_PACK_STUCK_MINUTES)
            audit.record_changes(pack, actor=None, channel=Channel.SYSTEM,
                                 changes={"state": (PackState.BUILDING, PackState.FAILED)})
        events.publish_many(FAILED, [(pack, {"id": pack.pk, "reason": STUCK_REASON}) for pack in stuck],
                            channel=Channel.SYSTEM, at=now)
    return len(stuck)
