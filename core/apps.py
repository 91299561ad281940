from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Service desk core")

    def ready(self):
        from core.i18n_catalogs import merge_same_plural_catalogs

        merge_same_plural_catalogs()  # first: before a page builds a language's catalog

        from core import locals as fast_locals

        fast_locals.install()  # after: it carries over the language Local the line above reset

        from accounts import roles
        from core import navigation

        navigation.register("admin", _("Records and settings"), "admin:index", group="admin", order=90,
                            visible=roles.is_admin)

        # Published events are written to the outbox and, after commit, wake the dispatcher.
        from core import events, outbox, tasks

        events.use_writer(outbox.write)
        outbox.use_waker(tasks.deliver_soon)
        # Upper apps fill lower apps' panel slots (core.panels) from their own `panels` module.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("panels")
