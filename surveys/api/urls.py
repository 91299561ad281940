from rest_framework.routers import SimpleRouter

from surveys.api.views import SurveyResponseViewSet

router = SimpleRouter()
router.register("responses", SurveyResponseViewSet, basename="survey-response")

urlpatterns = router.urls
