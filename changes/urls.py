from django.urls import path

from core.views_placeholder import placeholder

app_name = "changes"
urlpatterns = [
    path("", placeholder, {"title": "Change management"}, name="change_list"),
]
