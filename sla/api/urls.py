from rest_framework.routers import SimpleRouter

from sla.api import views

router = SimpleRouter()
router.register("calendars", views.BusinessCalendarViewSet, basename="sla-calendar")
router.register("definitions", views.SLADefinitionViewSet, basename="sla-definition")
router.register("clocks", views.SLAClockViewSet, basename="sla-clock")
urlpatterns = router.urls
