from django.urls import path

from core.views_placeholder import placeholder

app_name = "portal"
urlpatterns = [
    path("", placeholder, {"title": "My tickets"}, name="home"),
    path("new/", placeholder, {"title": "Report a problem"}, name="incident_create"),
]
