"""Suppliers, contracts, underpinning contracts and OLAs, their alignment with the SLAs they support, scorecards and disputes."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Suppliers and contracts")
