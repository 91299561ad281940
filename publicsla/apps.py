"""Korean public-sector SLA evaluation (Ministry of the Interior and Safety standard): indicators, monthly results, sanctions and penalties."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicslaConfig(AppConfig):
    name = "publicsla"
    verbose_name = _("Public-sector SLA evaluation")
