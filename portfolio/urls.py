"""Desk pages of the service portfolio, and the published catalogue."""

from django.urls import path

from portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("", views.PortfolioListView.as_view(), name="list"),
    path("new/", views.PortfolioFormView.as_view(), name="create"),
    path("catalogue/", views.CatalogueView.as_view(), name="catalogue"),
    path("<int:pk>/", views.PortfolioDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PortfolioFormView.as_view(), name="update"),
]
