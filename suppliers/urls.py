"""Desk pages of suppliers and contracts."""

from django.urls import path  # noqa: F401

app_name = "suppliers"
urlpatterns = []
