from django.urls import path

from incidents import security_views, views

app_name = "incidents"
urlpatterns = [
    path("", views.IncidentListView.as_view(), name="incident_list"),
    path("new/", views.IncidentCreateView.as_view(), name="incident_create"),
    path("suggest-service/", views.ServiceSuggestionView.as_view(), name="service_suggestion"),
    path("bulk/", views.IncidentBulkUpdateView.as_view(), name="incident_bulk_update"),
    path("<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("<int:pk>/edit/", views.IncidentUpdateView.as_view(), name="incident_update"),
    path("<int:pk>/transition/", views.IncidentTransitionView.as_view(), name="incident_transition"),
    path("<int:pk>/take/", views.IncidentAssignToMeView.as_view(), name="incident_take"),
    path("<int:pk>/comment/", views.IncidentCommentView.as_view(), name="incident_comment"),
    # information security incidents (ISO/IEC 20000-1 8.7.3): the panel's actions and the report
    path("security/report/", security_views.SecurityReportView.as_view(), name="security_report"),
    path("<int:pk>/security/flag/", security_views.FlagView.as_view(), name="security_flag"),
    path("<int:pk>/security/rate/", security_views.RateView.as_view(), name="security_rate"),
    path("<int:pk>/security/unflag/", security_views.UnflagView.as_view(), name="security_unflag"),
    path("<int:pk>/security/notifications/", security_views.NotifyView.as_view(), name="security_notify"),
]
