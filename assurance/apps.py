"""The ISO/IEC 20000-1 management system's own records: internal audit programme, audits and findings, management reviews and the certification life cycle."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssuranceConfig(AppConfig):
    name = "assurance"
    verbose_name = _("Internal audit and management review")
