"""Desk pages of continuity."""

from django.urls import path

from continuity import views

app_name = "continuity"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("<int:pk>/tests/", views.RecordTestView.as_view(), name="record_test"),
    path("<int:pk>/invocations/", views.RecordInvocationView.as_view(), name="record_invocation"),
]
