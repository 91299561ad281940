"""Celery: building evidence packs, and failing the ones whose worker died mid-build."""

from celery import shared_task


@shared_task(ignore_result=True)
def build_pack(pack_id: int):
    """Build one queued evidence pack; safe to run twice (only a queued pack is built)."""
    from iso import services

    services.build(pack_id)


@shared_task(name="iso.fail_stuck_packs", acks_late=True, ignore_result=True)
def fail_stuck_packs():
    """Beat: packs left building past ISO_PACK_STUCK_MINUTES end as failed (iso.services.fail_stuck)."""
    from iso import services

    return services.fail_stuck()


def enqueue_build(event):
    """Outbox handler of evidence_pack.requested: hand the pack to a worker."""
    if event.record is not None:
        build_pack.delay(event.record.pk)
