from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

TASK_PAGES = frozenset({"task_list", "task_detail"})


class FulfilmentConfig(AppConfig):
    name = "fulfilment"
    verbose_name = _("Request fulfilment")

    def ready(self):
        from core import navigation

        navigation.register("requests", _("Requests"), "fulfilment:request_list", order=20,
                            active=lambda match: match.namespace == "fulfilment" and match.url_name not in TASK_PAGES)
        navigation.register("tasks", _("Tasks"), "fulfilment:task_list", order=30,
                            active=lambda match: match.namespace == "fulfilment" and match.url_name in TASK_PAGES)

        from core import demo
        from fulfilment import demo as fulfilment_demo

        demo.register("fulfilment", fulfilment_demo.seed, after=("catalog",))
        from fulfilment import wiring

        wiring.register()
