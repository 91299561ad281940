from django.urls import path

from core.views_placeholder import placeholder

app_name = "cmdb"
urlpatterns = [
    path("", placeholder, {"title": "Configuration management"}, name="ci_list"),
]
