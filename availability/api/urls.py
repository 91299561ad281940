from django.urls import path
from rest_framework.routers import SimpleRouter

from availability.api.views import OutageViewSet, ReportView, ServiceSettingsView

router = SimpleRouter()
router.register("outages", OutageViewSet, basename="outage")

urlpatterns = [
    path("report/", ReportView.as_view(), name="availability-report"),
    path("settings/<str:service>/", ServiceSettingsView.as_view(), name="availability-settings"),
] + router.urls
