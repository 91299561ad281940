"""Portal pages of voc."""

from django.urls import path  # noqa: F401

app_name = "voc_portal"
urlpatterns: list = []
