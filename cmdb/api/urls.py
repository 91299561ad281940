from rest_framework.routers import SimpleRouter

from cmdb.api import views

router = SimpleRouter()
router.register("classes", views.CIClassViewSet, basename="ciclass")
router.register("cis", views.ConfigurationItemViewSet, basename="configurationitem")
router.register("relationships", views.RelationshipViewSet, basename="relationship")
urlpatterns = router.urls
