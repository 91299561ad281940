"""Desk pages of capacity."""

from django.urls import path

from capacity import views

app_name = "capacity"
urlpatterns = [
    path("", views.ReportView.as_view(), name="report"),
    path("metrics/<int:pk>/thresholds/", views.ThresholdView.as_view(), name="thresholds"),
]
