"""Desk pages of public-sector SLA evaluation."""

from django.urls import path

from publicsla import views

app_name = "publicsla"
urlpatterns = [
    path("", views.ContractListView.as_view(), name="contract_list"),
    path("<int:pk>/", views.ContractDetailView.as_view(), name="contract_detail"),
    path("<int:pk>/evaluation/", views.EvaluationView.as_view(), name="evaluation"),
    path("<int:pk>/evaluation.xlsx", views.EvaluationXlsxView.as_view(), name="evaluation_xlsx"),
]
