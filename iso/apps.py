"""Clause-by-clause readiness and the evidence packs an auditor samples."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IsoConfig(AppConfig):
    name = "iso"
    verbose_name = _("ISO/IEC 20000-1 readiness")

    def ready(self):
        from core import events, navigation
        from iso import permissions, services, sources, tasks

        sources.register()
        events.after_commit(services.REQUESTED, key="iso.enqueue_build")(tasks.enqueue_build)
        navigation.register("iso", _("ISO 20000 readiness"), "iso:readiness", group="improve", order=60,
                            visible=permissions.can_view_readiness)
