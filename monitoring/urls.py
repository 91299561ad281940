"""Desk pages of event management."""

from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.AlertListView.as_view(), name="alert_list"),
    path("<int:pk>/", views.AlertDetailView.as_view(), name="alert_detail"),
    path("rules/", views.RuleListView.as_view(), name="rule_list"),
    path("rules/mapping/new/", views.MappingRuleCreateView.as_view(), name="mapping_rule_create"),
    path("rules/mapping/<int:pk>/", views.MappingRuleUpdateView.as_view(), name="mapping_rule_update"),
    path("rules/incident/new/", views.IncidentRuleCreateView.as_view(), name="incident_rule_create"),
    path("rules/incident/<int:pk>/", views.IncidentRuleUpdateView.as_view(), name="incident_rule_update"),
    path("incidents/<int:pk>/cause/", views.LinkCauseView.as_view(), name="link_cause"),
]
