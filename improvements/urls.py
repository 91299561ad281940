"""Desk pages of continual improvement."""

from django.urls import path

from improvements import views

app_name = "improvements"
urlpatterns = [
    path("", views.ImprovementListView.as_view(), name="list"),
    path("new/", views.ImprovementCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ImprovementDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ImprovementUpdateView.as_view(), name="update"),
    path("<int:pk>/transition/", views.ImprovementTransitionView.as_view(), name="transition"),
    path("<int:pk>/measure/", views.ImprovementMeasureView.as_view(), name="measure"),
    path("<int:pk>/comment/", views.ImprovementCommentView.as_view(), name="comment"),
]
