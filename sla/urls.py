from django.urls import path

from sla import config_views, views

app_name = "sla"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("reports/", views.ComplianceReportView.as_view(), name="report"),
    path("reports/service/", views.ServiceReportView.as_view(), name="service_report"),
    path("breaches/", views.BreachListView.as_view(), name="breaches"),
    path("clocks/<int:pk>/", views.ClockDetailView.as_view(), name="clock_detail"),
    path("calendars/", config_views.CalendarListView.as_view(), name="calendar_list"),
    path("calendars/new/", config_views.CalendarFormView.as_view(), name="calendar_create"),
    path("calendars/<int:pk>/", config_views.CalendarDetailView.as_view(), name="calendar_detail"),
    path("calendars/<int:pk>/edit/", config_views.CalendarFormView.as_view(), name="calendar_edit"),
    path("definitions/", config_views.DefinitionListView.as_view(), name="definition_list"),
    path("definitions/new/", config_views.DefinitionFormView.as_view(), name="definition_create"),
    path("definitions/<int:pk>/", config_views.DefinitionDetailView.as_view(), name="definition_detail"),
    path("definitions/<int:pk>/edit/", config_views.DefinitionFormView.as_view(), name="definition_edit"),
    path("definitions/<int:definition_pk>/rules/new/", config_views.RuleFormView.as_view(), name="rule_create"),
    path("rules/<int:pk>/edit/", config_views.RuleFormView.as_view(), name="rule_edit"),
]
