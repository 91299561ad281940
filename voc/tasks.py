from celery import shared_task


@shared_task(name="voc.escalate_due")
def escalate_due():
    from voc import services

    return services.escalate_due()
