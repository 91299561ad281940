from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts.permissions import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")

        from accounts import demo
        from core import demo as demo_registry

        demo_registry.register("accounts", demo.seed)

        from accounts import roles
        from core import navigation

        navigation.register("access_log", _("Auditor access log"), "accounts:access_log", group="admin", order=80,
                            visible=roles.is_manager)
