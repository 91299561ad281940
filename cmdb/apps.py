from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CMDBConfig(AppConfig):
    name = "cmdb"
    verbose_name = _("Configuration management")

    def ready(self):
        from core import demo
        from cmdb import demo as cmdb_demo

        demo.register("cmdb", cmdb_demo.seed, after=("accounts",))
