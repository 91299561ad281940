from rest_framework.routers import SimpleRouter

from incidents.api import views

router = SimpleRouter()
router.register(r"(?P<incident_pk>[^/.]+)/comments", views.IncidentCommentViewSet, basename="incident-comment")
router.register(r"(?P<incident_pk>[^/.]+)/security-notifications", views.SecurityNotificationViewSet,
                basename="incident-security-notification")
router.register("", views.IncidentViewSet, basename="incident")
urlpatterns = router.urls
