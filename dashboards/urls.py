"""Desk pages of dashboards."""

from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.DashboardIndexView.as_view(), name="index"),
    path("agent/", views.AgentDashboardView.as_view(), name="agent"),
    path("lead/", views.LeadDashboardView.as_view(), name="lead"),
    path("manager/", views.ManagerDashboardView.as_view(), name="manager"),
]
