"""Desk pages of availability."""

from django.urls import path

from availability import views

app_name = "availability"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("outages/new/", views.OutageFormView.as_view(), name="outage_create"),
    path("outages/<int:pk>/", views.OutageFormView.as_view(), name="outage_edit"),
    path("settings/", views.ServiceSettingsFormView.as_view(), name="settings"),
]
