from django.urls import path

from core.views_placeholder import placeholder

from . import views

app_name = "problems"
urlpatterns = [
    path("", placeholder, {"title": "Problem management"}, name="problem_list"),
    path(
        "known-errors/suggest/<int:incident_id>/",
        views.known_error_suggestions,
        name="known_error_suggestions",
    ),
]
