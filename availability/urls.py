"""Desk pages of availability."""

from django.urls import path  # noqa: F401

app_name = "availability"
urlpatterns = []
