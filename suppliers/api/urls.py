from rest_framework.routers import SimpleRouter

from suppliers.api.views import ContractViewSet, DisputeViewSet, SupplierViewSet

router = SimpleRouter()
router.register("suppliers", SupplierViewSet, basename="supplier")
router.register("contracts", ContractViewSet, basename="contract")
router.register("disputes", DisputeViewSet, basename="dispute")

urlpatterns = router.urls
