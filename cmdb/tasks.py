from celery import shared_task

from cmdb.models import ImportJob


@shared_task
def run_import(job_id: int):
    """Run a pending import job; safe to run twice (a job that already started is left alone)."""
    from cmdb import imports

    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING)
    if not claimed:
        return
    imports.run_job(ImportJob.objects.get(pk=job_id))
