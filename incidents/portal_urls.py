from django.urls import path

from incidents import portal_views

app_name = "portal"
urlpatterns = [
    path("", portal_views.PortalHomeView.as_view(), name="home"),
    path("new/", portal_views.PortalIncidentCreateView.as_view(), name="incident_create"),
    path("incidents/<int:pk>/", portal_views.PortalIncidentDetailView.as_view(), name="incident_detail"),
]
