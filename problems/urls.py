from django.urls import path

from . import views

app_name = "problems"
urlpatterns = [
    path("", views.ProblemListView.as_view(), name="problem_list"),
    path("new/", views.ProblemCreateView.as_view(), name="problem_create"),
    path("known-errors/", views.KnownErrorListView.as_view(), name="known_error_list"),
    path(
        "known-errors/suggest/<int:incident_id>/",
        views.known_error_suggestions,
        name="known_error_suggestions",
    ),
    path(
        "<int:pk>/apply/<int:incident_id>/",
        views.ApplyKnownErrorView.as_view(),
        name="apply_known_error",
    ),
    path("<int:pk>/", views.ProblemDetailView.as_view(), name="problem_detail"),
    path("<int:pk>/edit/", views.ProblemUpdateView.as_view(), name="problem_update"),
    path("<int:pk>/transition/", views.ProblemTransitionView.as_view(), name="problem_transition"),
    path("<int:pk>/links/", views.ProblemLinkView.as_view(), name="problem_link"),
    path("<int:pk>/resolve-incidents/", views.ProblemResolveIncidentsView.as_view(), name="problem_resolve_incidents"),
    path("<int:pk>/raise-change/", views.ProblemRaiseChangeView.as_view(), name="problem_raise_change"),
    path("<int:pk>/comment/", views.ProblemCommentView.as_view(), name="problem_comment"),
]
