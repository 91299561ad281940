from rest_framework.routers import SimpleRouter

from portfolio.api.views import PortfolioServiceViewSet

router = SimpleRouter()
router.register("portfolio/services", PortfolioServiceViewSet, basename="portfolio-service")

urlpatterns = router.urls
