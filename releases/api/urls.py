from rest_framework.routers import SimpleRouter

from releases.api import views

router = SimpleRouter()
router.register("", views.ReleaseViewSet, basename="release")
urlpatterns = router.urls
