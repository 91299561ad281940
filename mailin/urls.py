"""Desk pages of mail in."""

from django.urls import path  # noqa: F401

app_name = "mailin"
urlpatterns: list = []
