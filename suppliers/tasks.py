"""Celery tasks of supplier management: safe to run twice."""

from celery import shared_task


@shared_task(name="suppliers.publish_expiring", acks_late=True, ignore_result=True)
def publish_expiring(days=90):
    """Beat, hourly: publish contract.expiring once for each contract ending within `days` days."""
    from suppliers import services

    return services.publish_expiring(days=days)


@shared_task(name="suppliers.close_ended", acks_late=True, ignore_result=True)
def close_ended():
    """Beat, hourly: the agreements of contracts that have ended stop applying to new tickets."""
    from suppliers import services

    return services.close_ended()
