from django.urls import path

from fulfilment import portal_views as views

app_name = "portal_requests"
urlpatterns = [
    path("catalog/", views.CatalogHomeView.as_view(), name="catalog"),
    path("catalog/search/", views.CatalogSearchView.as_view(), name="search"),
    path("catalog/categories/<int:pk>/", views.CategoryView.as_view(), name="category"),
    path("catalog/items/<int:pk>/", views.ItemView.as_view(), name="item"),
    path("cart/", views.CartView.as_view(), name="cart"),
    path("people/", views.ColleagueLookupView.as_view(), name="people"),
    path("requests/", views.RequestListView.as_view(), name="requests"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
]
