from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FulfilmentConfig(AppConfig):
    name = "fulfilment"
    verbose_name = _("Request fulfilment")

    def ready(self):
        from core import demo
        from fulfilment import demo as fulfilment_demo

        demo.register("fulfilment", fulfilment_demo.seed, after=("catalog",))
        from fulfilment import wiring

        wiring.register()
