"""Periodic work of dashboards: the manager dashboard's pre-aggregated figures."""

from celery import shared_task


@shared_task(name="dashboards.tasks.refresh")
def refresh():
    """Recompute the manager dashboard's snapshot (safe to run twice: the last one wins)."""
    from dashboards import manager

    snapshot = manager.refresh()
    return {"refreshed_at": snapshot.refreshed_at.isoformat(), "duration_ms": snapshot.duration_ms}
