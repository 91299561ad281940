"""Desk pages of webhooks."""

from django.urls import path

from webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.SubscriptionListView.as_view(), name="list"),
    path("new/", views.SubscriptionFormView.as_view(), name="create"),
    path("<int:pk>/", views.SubscriptionDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.SubscriptionFormView.as_view(), name="edit"),
    path("<int:pk>/replay/", views.ReplayRangeView.as_view(), name="replay_range"),
    path("<int:pk>/deliveries/<int:delivery_pk>/replay/", views.ReplayDeliveryView.as_view(), name="replay"),
]
