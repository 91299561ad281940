from django.urls import path

from incidents import views

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
]
