from django.urls import path
from rest_framework.routers import SimpleRouter

from webhooks.api import views

router = SimpleRouter()
router.register("webhooks", views.SubscriptionViewSet, basename="webhook")

deliveries = views.DeliveryViewSet
urlpatterns = router.urls + [
    path("webhooks/<str:subscription_pk>/deliveries/", deliveries.as_view({"get": "list"}),
         name="webhook-delivery-list"),
    path("webhooks/<str:subscription_pk>/deliveries/<str:pk>/", deliveries.as_view({"get": "retrieve"}),
         name="webhook-delivery-detail"),
    path("webhooks/<str:subscription_pk>/deliveries/<str:pk>/replay/", deliveries.as_view({"post": "replay"}),
         name="webhook-delivery-replay"),
]
