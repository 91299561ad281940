from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Knowledge management")

    def ready(self):
        from core import navigation

        navigation.register("knowledge", _("Knowledge"), "knowledge:article_list", order=70)

        from knowledge import wiring

        wiring.register()
