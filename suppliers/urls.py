"""Desk pages of suppliers and contracts."""

from django.urls import path

from suppliers import views

app_name = "suppliers"
urlpatterns = [
    path("", views.SupplierListView.as_view(), name="supplier_list"),
    path("new/", views.SupplierFormView.as_view(), name="supplier_create"),
    path("<int:pk>/", views.SupplierDetailView.as_view(), name="supplier_detail"),
    path("<int:pk>/edit/", views.SupplierFormView.as_view(), name="supplier_update"),
    path("contracts/", views.ContractListView.as_view(), name="contract_list"),
    path("contracts/new/", views.ContractFormView.as_view(), name="contract_create"),
    path("contracts/<int:pk>/", views.ContractDetailView.as_view(), name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.ContractFormView.as_view(), name="contract_update"),
    path("disputes/new/", views.DisputeFormView.as_view(), name="dispute_create"),
    path("disputes/<int:pk>/edit/", views.DisputeFormView.as_view(), name="dispute_update"),
]
