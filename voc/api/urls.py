from rest_framework.routers import SimpleRouter

from voc.api.views import VocViewSet

router = SimpleRouter()
router.register("voc", VocViewSet, basename="voc")

urlpatterns = router.urls
