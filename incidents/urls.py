from django.urls import path

from core.views_placeholder import placeholder

app_name = "incidents"
urlpatterns = [
    path("", placeholder, {"title": "Incident management"}, name="incident_list"),
]
