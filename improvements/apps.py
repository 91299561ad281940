"""Continual improvement register (IMP…) and corrective actions."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementsConfig(AppConfig):
    name = "improvements"
    verbose_name = _("Continual improvement")

    def ready(self):
        from core import demo, navigation

        navigation.register("improvements", _("Improvements"), "improvements:list", group="improve", order=30)
        from improvements import demo as improvements_demo
        from improvements import sources

        sources.register()
        demo.register("improvements", improvements_demo.seed,
                      after=("accounts", "incidents", "problems", "changes"))
