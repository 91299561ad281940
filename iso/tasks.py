"""Celery: building evidence packs."""

from celery import shared_task


@shared_task(ignore_result=True)
def build_pack(pack_id: int):
    """Build one queued evidence pack; safe to run twice (only a queued pack is built)."""
    from iso import services

    services.build(pack_id)


def enqueue_build(event):
    """Outbox handler of evidence_pack.requested: hand the pack to a worker."""
    if event.record is not None:
        build_pack.delay(event.record.pk)
