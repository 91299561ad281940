from rest_framework.routers import SimpleRouter

from reports.api import views

router = SimpleRouter()
router.register("reports", views.ServiceReportViewSet, basename="report")

urlpatterns = router.urls
