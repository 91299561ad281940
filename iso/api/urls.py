from rest_framework.routers import SimpleRouter

from iso.api import views

router = SimpleRouter()
router.register("clauses", views.ClauseViewSet, basename="iso-clause")
router.register("evidence-packs", views.EvidencePackViewSet, basename="evidence-pack")

urlpatterns = router.urls
