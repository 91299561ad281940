"""The service portfolio: business services with their life cycle (pipeline, live, retired), owners, customers, agreements and the published service catalogue."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Service portfolio")

    def ready(self):
        from accounts import roles
        from core import demo, evidence, navigation
        from portfolio import demo as portfolio_demo

        navigation.register("portfolio", _("Portfolio"), "portfolio:list", group="services", order=15)
        navigation.register("service-catalogue", _("Service catalogue"), "portfolio:catalogue", order=60,
                            visible=lambda user: user.is_authenticated and not roles.is_agent(user))
        evidence.register("8.2", "portfolio.PortfolioService", date_field="updated_at",
                          label=_("Services in the portfolio"))
        evidence.register("8.2.4", "portfolio.PortfolioService", date_field="updated_at",
                          label=_("Services in the published catalogue"),
                          queryset=lambda: _live())
        demo.register("portfolio", portfolio_demo.seed, after=("accounts", "cmdb", "catalog", "changes", "documents"))


def _live():
    from portfolio.models import PortfolioService

    return PortfolioService.objects.live()
