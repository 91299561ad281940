"""Clause-by-clause readiness and the evidence packs an auditor samples."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IsoConfig(AppConfig):
    name = "iso"
    verbose_name = _("ISO/IEC 20000-1 readiness")
