"""Desk pages of voice of the customer."""

from django.urls import path

from voc import views

app_name = "voc"
urlpatterns = [
    path("", views.VocListView.as_view(), name="list"),
    path("new/", views.VocCreateView.as_view(), name="create"),
    path("<int:pk>/", views.VocDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.VocUpdateView.as_view(), name="update"),
    path("<int:pk>/respond/", views.VocActionView.as_view(action="respond"), name="respond"),
    path("<int:pk>/transition/", views.VocActionView.as_view(action="transition"), name="transition"),
    path("<int:pk>/escalate/", views.VocActionView.as_view(action="escalate"), name="escalate"),
    path("<int:pk>/comment/", views.VocActionView.as_view(action="comment"), name="comment"),
]
