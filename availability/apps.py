from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AvailabilityConfig(AppConfig):
    name = "availability"
    verbose_name = _("Availability")

    def ready(self):
        from availability import demo as availability_demo
        from availability import derived
        from core import demo, evidence, navigation

        navigation.register("availability", _("Availability"), "availability:overview", group="services", order=60)
        derived.register()
        evidence.register("8.7.1", "availability.Outage", date_field="start", label=_("Outages"))
        demo.register("availability", availability_demo.seed, after=("accounts", "cmdb", "incidents"))
