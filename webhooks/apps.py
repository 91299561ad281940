"""Webhooks out: subscriptions, Standard Webhooks signatures, delivery from the outbox with retries and a log."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from accounts import roles
        from core import navigation
        from webhooks import wiring

        navigation.register("webhooks", _("Webhooks"), "webhooks:list", group="admin", order=20,
                            visible=roles.is_manager)

        wiring.register()
