"""CI utilisation metrics, thresholds that raise events, and forecasts of when a resource is full."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityConfig(AppConfig):
    name = "capacity"
    verbose_name = _("Capacity")

    def ready(self):
        from capacity import demo as capacity_demo
        from capacity import panels, wiring
        from core import demo, evidence, navigation

        navigation.register("capacity", _("Capacity"), "capacity:report", group="services", order=40)
        panels.register()
        wiring.register()
        evidence.register("8.4.3", "capacity.Metric", date_field="created_at", label=_("Capacity metrics"))
        evidence.register("8.4.3", "capacity.MetricSample", date_field="at", label=_("Capacity samples"))
        demo.register("capacity", capacity_demo.seed, after=("accounts", "cmdb", "monitoring"))
