"""Monthly service reports per organisation and service: frozen snapshots, PDF and XLSX."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Service reports")

    def ready(self):
        from core import demo
        from reports import demo as reports_demo

        demo.register("reports", reports_demo.seed, after=("accounts", "incidents", "changes", "problems"),
                      finish=reports_demo.finish)
