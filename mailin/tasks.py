"""Celery tasks of mail in: safe to run twice (ingest is idempotent by Message-ID)."""

from celery import shared_task


@shared_task
def poll_mailboxes():
    """Fetch new mail from every active IMAP mailbox (CELERY_BEAT_SCHEDULE "mailin-poll")."""
    from mailin import imap

    return imap.poll_all()
