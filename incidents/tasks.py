"""Celery tasks of incident management: ids in, services called, safe to run twice.

Notifications are not tasks: they are outbox deliveries (incidents.notifications).
"""

from celery import shared_task


@shared_task
def auto_close_resolved():
    """Close resolved incidents after INCIDENT_AUTO_CLOSE_DAYS; a second run finds nothing to do."""
    from incidents import services

    return services.auto_close_resolved()


@shared_task
def notify_incident(incident_id, kind, comment_id=None):
    """Kept for messages queued before the outbox; new notifications never use it."""
    from incidents import notifications

    return notifications.send(incident_id, kind, comment_id)
