"""Celery tasks of the knowledge base: ids in, call the services, safe to run twice."""

from celery import shared_task


@shared_task(name="knowledge.tasks.flag_due_reviews")
def flag_due_reviews():
    from knowledge import review

    return review.flag_due()
