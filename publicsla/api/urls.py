from rest_framework.routers import SimpleRouter

from publicsla.api.views import ContractViewSet

router = SimpleRouter()
router.register("contracts", ContractViewSet, basename="public-sla-contract")

urlpatterns = router.urls
