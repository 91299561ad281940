"""The service portfolio: business services with their life cycle (pipeline, live, retired), owners, customers, agreements and the published service catalogue."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Service portfolio")
