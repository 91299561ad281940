from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CMDBConfig(AppConfig):
    name = "cmdb"
    verbose_name = _("Configuration management")

    def ready(self):
        from core import navigation

        navigation.register("cmdb", _("CMDB"), "cmdb:ci_list", group="services", order=10)

        from cmdb.models import CIClass, ConfigurationItem
        from core import memo

        # The desk forms' business services are kept per process (core.choices_memo).
        memo.watch(ConfigurationItem, CIClass, key=memo.REFERENCE)

        from cmdb import tasks
        from core import events

        events.after_commit("cmdb.import_queued", key="cmdb.enqueue_import")(tasks.enqueue_import)
        from cmdb import demo as cmdb_demo
        from core import demo

        demo.register("cmdb", cmdb_demo.seed, after=("accounts",))
        from cmdb import history

        history.register()
        from cmdb import pickers

        pickers.register()
