"""Desk pages of service continuity."""

from django.urls import path  # noqa: F401

app_name = "continuity"
urlpatterns = []
