"""Dashboards for agents, team leads and managers over pre-aggregated figures."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from core import demo, navigation

        navigation.register("dashboards", _("Dashboards"), "dashboards:index", order=5)
        from dashboards import demo as dashboards_demo

        demo.register("dashboards", dashboards_demo.seed, finish=dashboards_demo.finish,
                      after=("incidents", "fulfilment", "changes", "problems"))
