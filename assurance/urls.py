"""Desk pages of internal audit and management review."""

from django.urls import path  # noqa: F401

app_name = "assurance"
urlpatterns = []
