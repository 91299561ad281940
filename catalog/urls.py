from django.urls import path

from catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.ItemListView.as_view(), name="item_list"),
    path("items/new/", views.ItemFormView.as_view(), name="item_create"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", views.ItemFormView.as_view(), name="item_edit"),
    path("items/<int:pk>/form/", views.FormEditorView.as_view(), name="item_form"),
    path("items/<int:pk>/form/preview/", views.FormPreviewView.as_view(), name="item_form_preview"),
    path("items/<int:pk>/plan/", views.ItemPlanView.as_view(), name="item_plan"),
    path("categories/", views.CategoryListView.as_view(), name="category_list"),
    path("categories/new/", views.CategoryFormView.as_view(), name="category_create"),
    path("categories/<int:pk>/edit/", views.CategoryFormView.as_view(), name="category_edit"),
]
