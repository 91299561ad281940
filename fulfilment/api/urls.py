from rest_framework.routers import SimpleRouter

from fulfilment.api import views

router = SimpleRouter()
router.register(r"requests/(?P<request_pk>[^/.]+)/comments", views.RequestCommentViewSet, basename="request-comment")
router.register("requests", views.ServiceRequestViewSet, basename="request")
router.register("tasks", views.FulfilmentTaskViewSet, basename="task")
urlpatterns = router.urls
