"""The ISO/IEC 20000-1 management system's own records: internal audit programme, audits and findings, management reviews and the certification life cycle."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssuranceConfig(AppConfig):
    name = "assurance"
    verbose_name = _("Internal audit and management review")

    def ready(self):
        from assurance import demo as assurance_demo
        from core import demo, evidence, navigation

        navigation.register("assurance", _("Internal audits"), "assurance:programme", group="improve", order=40,
                            active=lambda match: match.namespace == "assurance"
                            and not match.url_name.startswith("review"))
        navigation.register("assurance_reviews", _("Management reviews"), "assurance:review_list", group="improve",
                            order=41, active=lambda match: match.namespace == "assurance"
                            and match.url_name.startswith("review"))
        evidence.register("9.2", "assurance.Audit", date_field="planned_date", label=_("Internal audits"))
        evidence.register("9.2", "assurance.Finding", date_field="created_at", label=_("Audit findings"))
        evidence.register("9.3", "assurance.ManagementReview", date_field="held_on", label=_("Management reviews"))
        evidence.register("9.3", "assurance.ReviewAction", date_field="created_at",
                          label=_("Management review actions"))
        evidence.register("10.1", "assurance.Finding", date_field="created_at",
                          label=_("Nonconformities found by internal audits"), queryset=_nonconformities)
        demo.register("assurance", assurance_demo.seed, after=("accounts", "improvements"))


def _nonconformities():
    from assurance.choices import NONCONFORMITIES
    from assurance.models import Finding

    return Finding.objects.filter(kind__in=NONCONFORMITIES)
