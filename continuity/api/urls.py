from rest_framework.routers import SimpleRouter

from continuity.api.views import InvocationViewSet, PlanViewSet, TestViewSet

router = SimpleRouter()
router.register("plans", PlanViewSet, basename="continuity-plan")
router.register("tests", TestViewSet, basename="continuity-test")
router.register("invocations", InvocationViewSet, basename="continuity-invocation")

urlpatterns = router.urls
