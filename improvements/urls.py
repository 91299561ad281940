"""Desk pages of continual improvement."""

from django.urls import path  # noqa: F401

app_name = "improvements"
urlpatterns: list = []
