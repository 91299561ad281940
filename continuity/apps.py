"""BCP and DRP plans per service, their tests, invocations and required re-tests."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    name = "continuity"
    verbose_name = _("Service continuity")

    def ready(self):
        from continuity import demo as continuity_demo
        from continuity import wiring
        from core import demo, evidence, navigation

        navigation.register("continuity", _("Continuity"), "continuity:plan_list", group="services", order=45)
        wiring.register()
        evidence.register("8.7.2", "continuity.ContinuityPlan", date_field="created_at", label=_("Continuity plans"))
        evidence.register("8.7.2", "continuity.ContinuityTest", date_field="date", label=_("Continuity tests"))
        demo.register("continuity", continuity_demo.seed, after=("accounts", "cmdb", "incidents", "changes"))
