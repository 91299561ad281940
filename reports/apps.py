"""Monthly service reports per organisation and service: frozen snapshots, PDF and XLSX."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Service reports")

    def ready(self):
        from accounts import roles
        from core import demo, navigation

        navigation.register("reports", _("Service reports"), "reports:list", group="improve", order=40,
                            visible=roles.is_manager)
        from reports import demo as reports_demo

        demo.register("reports", reports_demo.seed, after=("accounts", "incidents", "changes", "problems", "surveys", "voc", "improvements"),
                      finish=reports_demo.finish)
