from django.urls import path

from sla import views

app_name = "sla"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("reports/", views.ComplianceReportView.as_view(), name="report"),
    path("reports/service/", views.ServiceReportView.as_view(), name="service_report"),
    path("breaches/", views.BreachListView.as_view(), name="breaches"),
    path("clocks/<int:pk>/", views.ClockDetailView.as_view(), name="clock_detail"),
]
