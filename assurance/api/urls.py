from rest_framework.routers import SimpleRouter

from assurance.api import views

router = SimpleRouter()
router.register("audit-programmes", views.AuditProgrammeViewSet, basename="iso-audit-programme")
router.register("audits", views.AuditViewSet, basename="iso-audit")
router.register("findings", views.FindingViewSet, basename="iso-finding")
router.register("reviews", views.ManagementReviewViewSet, basename="iso-review")
router.register("review-actions", views.ReviewActionViewSet, basename="iso-review-action")
router.register("certification-events", views.CertificationEventViewSet, basename="iso-certification-event")

urlpatterns = router.urls
