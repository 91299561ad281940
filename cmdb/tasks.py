from celery import shared_task


@shared_task
def run_import(job_id: int):
    """Run a pending import job; safe to run twice (a job that already started is left alone)."""
    from cmdb import imports

    imports.run_pending(job_id)


def enqueue_import(event):
    """Outbox handler of cmdb.import_queued: hand the job to a worker (retried while the broker is down)."""
    if event.record is not None:  # a job deleted meanwhile has nothing left to run
        run_import.delay(event.record.pk)
