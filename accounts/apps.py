from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts.permissions import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")

        from django.contrib.auth.models import Group

        from accounts.models import Team, User
        from core import memo

        # The desk forms' team and agent lists are kept per process (core.choices_memo): a team, a
        # person, a role or a membership of a role changes them.
        memo.watch(Team, User, Group, User.groups.through, key=memo.REFERENCE)
        # Each person's roles and whether they are in a team (accounts.roles.membership) are kept
        # too, under their own generation: a CI or category save must not make every request read
        # its user's roles again. A role or team deleted takes its membership rows without an
        # m2m signal, so their saves and deletes move it as well.
        memo.watch(Group, User.groups.through, Team, Team.members.through, key=memo.MEMBERSHIP)

        from accounts import demo
        from core import demo as demo_registry

        demo_registry.register("accounts", demo.seed)

        from accounts import roles
        from core import navigation

        roles.keep_membership = lambda user_id, read: memo.memoised(f"accounts.membership.{user_id}", read,
                                                                    key=memo.MEMBERSHIP)

        navigation.register("access_log", _("Auditor access log"), "accounts:access_log", group="admin", order=80,
                            visible=roles.is_manager)
