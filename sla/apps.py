from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SLAConfig(AppConfig):
    name = "sla"
    verbose_name = _("Service level management")

    def ready(self):
        from sla import history

        history.register()
