from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import views

router = SimpleRouter()
router.register("groups", views.TeamViewSet, basename="team")
router.register("audit-access-log", views.AccessLogViewSet, basename="access-log")

urlpatterns = [path("users/me/", views.MeView.as_view(), name="users-me"), *router.urls]
