"""Outages per service, availability per month over the service hours, MTBF and MTRS against targets."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AvailabilityConfig(AppConfig):
    name = "availability"
    verbose_name = _("Availability")
