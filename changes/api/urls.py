from rest_framework.routers import SimpleRouter

from changes.api import views

router = SimpleRouter()
# Named collections first: the change detail route ("" prefix) would otherwise take their names
# for change numbers.
router.register("templates", views.ChangeTemplateViewSet, basename="change-template")
router.register("freeze-windows", views.FreezeWindowViewSet, basename="freeze-window")
router.register("", views.ChangeViewSet, basename="change")
urlpatterns = router.urls
