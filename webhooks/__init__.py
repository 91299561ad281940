"""Webhooks out: subscriptions, Standard Webhooks signatures, delivery from the outbox with retries and a log."""
