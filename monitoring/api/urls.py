from django.urls import path
from rest_framework.routers import SimpleRouter

from monitoring.api import views

router = SimpleRouter()
router.register("alerts", views.AlertViewSet, basename="alert")

urlpatterns = [
    path("events/", views.EventIngestView.as_view(), name="event-ingest"),
    path("events/alertmanager/", views.AlertmanagerView.as_view(), name="event-alertmanager"),
    path("incidents/<str:ref>/suspected-changes/", views.SuspectedChangesView.as_view(),
         name="incident-suspected-changes"),
    *router.urls,
]
