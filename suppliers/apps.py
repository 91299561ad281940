"""Suppliers, contracts, underpinning contracts and OLAs, their alignment with the SLAs they support, scorecards and disputes."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Suppliers and contracts")

    def ready(self):
        from core import demo, evidence, navigation
        from suppliers import demo as suppliers_demo

        navigation.register("suppliers", _("Suppliers"), "suppliers:supplier_list", group="services", order=25)
        evidence.register("8.3.4", "suppliers.Contract", date_field="created_at", label=_("Supplier contracts"))
        evidence.register("8.3.4", "suppliers.Dispute", date_field="created_at", label=_("Supplier disputes"))
        demo.register("suppliers", suppliers_demo.seed, after=("accounts", "cmdb", "sla", "incidents"))
