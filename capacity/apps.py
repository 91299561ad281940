"""CI utilisation metrics, thresholds that raise events, and forecasts of when a resource is full."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityConfig(AppConfig):
    name = "capacity"
    verbose_name = _("Capacity")
