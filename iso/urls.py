"""Desk pages of iso/iec 20000-1 readiness."""

from django.urls import path  # noqa: F401

app_name = "iso"
urlpatterns = []
