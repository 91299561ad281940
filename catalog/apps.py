from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Service catalog")

    def ready(self):
        from core import navigation

        navigation.register("catalog", _("Catalog"), "catalog:item_list", group="services", order=30)

        from catalog import demo as catalog_demo
        from catalog import pickers
        from core import demo

        pickers.register()

        demo.register("catalog", catalog_demo.seed, after=("accounts", "cmdb", "changes"))
