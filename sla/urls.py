from django.urls import path

from core.views_placeholder import placeholder

app_name = "sla"
urlpatterns = [
    path("", placeholder, {"title": "Service level management"}, name="dashboard"),
]
