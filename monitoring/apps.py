"""Monitoring events and alerts: ingest, dedupe by fingerprint, rules that open incidents, storms, suspected changes."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Event management")

    def ready(self):
        from core import demo, navigation

        navigation.register("alerts", _("Alerts"), "monitoring:alert_list", order=15)
        from monitoring import demo as monitoring_demo
        from monitoring import panels  # noqa: F401  (registers the incident page's panel)

        demo.register("monitoring", monitoring_demo.seed, after=("accounts", "cmdb", "incidents", "changes"))
