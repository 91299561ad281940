"""Desk pages of voice of the customer."""

from django.urls import path  # noqa: F401

app_name = "voc"
urlpatterns: list = []
