"""Portal pages of voc."""

from django.urls import path

from voc import portal_views as views

app_name = "voc_portal"
urlpatterns = [
    path("", views.MyVocView.as_view(), name="list"),
    path("new/", views.NewVocView.as_view(), name="create"),
    path("<int:pk>/", views.VocPortalDetailView.as_view(), name="detail"),
]
