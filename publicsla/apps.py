from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicslaConfig(AppConfig):
    name = "publicsla"
    verbose_name = _("Public-sector SLA evaluation")

    def ready(self):
        from core import demo, evidence, navigation
        from publicsla import demo as publicsla_demo

        navigation.register("publicsla", _("Public SLA evaluation"), "publicsla:contract_list", group="improve",
                            order=50)
        evidence.register("8.3.3", "publicsla.Evaluation", date_field="created_at",
                          label=_("Public-sector SLA evaluations"))
        demo.register("publicsla", publicsla_demo.seed, after=("availability",))
