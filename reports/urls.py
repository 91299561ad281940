"""Desk pages of service reports."""

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("generate/", views.GenerateView.as_view(), name="generate"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/print/", views.ReportPrintView.as_view(), name="print"),
    path("<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("<int:pk>/distribute/", views.DistributeView.as_view(), name="distribute"),
    path("<int:pk>/download/<str:fmt>/", views.DownloadView.as_view(), name="download"),
]
