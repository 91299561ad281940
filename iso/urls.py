"""Desk pages of ISO/IEC 20000-1 readiness."""

from django.urls import path

from iso import views

app_name = "iso"
urlpatterns = [
    path("", views.ReadinessView.as_view(), name="readiness"),
    path("clauses/<str:clause_id>/", views.ClauseView.as_view(), name="clause"),
    path("evidence-packs/", views.PackListView.as_view(), name="packs"),
    path("evidence-packs/<int:pk>/download/", views.PackDownloadView.as_view(), name="pack-download"),
]
