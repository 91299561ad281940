"""Desk pages of event management."""

from django.urls import path  # noqa: F401

app_name = "monitoring"
urlpatterns: list = []
