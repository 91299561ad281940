"""Portal pages of surveys."""

from django.urls import path  # noqa: F401

app_name = "surveys_portal"
urlpatterns: list = []
