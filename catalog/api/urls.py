from rest_framework.routers import SimpleRouter

from catalog.api import views

router = SimpleRouter()
router.register("categories", views.CategoryViewSet, basename="catalog-category")
router.register("items", views.CatalogItemViewSet, basename="catalog-item")
urlpatterns = router.urls
