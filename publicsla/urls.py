"""Desk pages of public-sector sla evaluation."""

from django.urls import path  # noqa: F401

app_name = "publicsla"
urlpatterns = []
