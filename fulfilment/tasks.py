"""Celery tasks of request fulfilment: call the plain functions, safe to run twice."""

from celery import shared_task


@shared_task(name="fulfilment.tasks.purge_cart_files")
def purge_cart_files():
    """Files staged by portal carts abandoned for more than a day (fulfilment.cart.purge_staged)."""
    from fulfilment import cart

    return cart.purge_staged()
