"""Celery: the monthly service reports, on the 1st for the month just ended (idempotent)."""

from celery import shared_task


@shared_task(ignore_result=True)
def generate_monthly_reports():
    from reports import scheduling

    return scheduling.generate_due()
