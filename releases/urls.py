from django.urls import path

from core.views_placeholder import placeholder

app_name = "releases"
urlpatterns = [
    path("", placeholder, {"title": "Release management"}, name="release_list"),
]
