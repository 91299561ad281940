from rest_framework.routers import SimpleRouter

from capacity.api.views import MetricViewSet

router = SimpleRouter()
router.register("metrics", MetricViewSet, basename="capacity-metric")

urlpatterns = router.urls
