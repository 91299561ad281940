from django.urls import path

from cmdb import views

app_name = "cmdb"
urlpatterns = [
    path("", views.CIListView.as_view(), name="ci_list"),
    path("new/", views.CIFormView.as_view(), name="ci_create"),
    path("<int:pk>/", views.CIDetailView.as_view(), name="ci_detail"),
    path("<int:pk>/dependencies/", views.CIDependenciesView.as_view(), name="ci_dependencies"),
    path("<int:pk>/edit/", views.CIFormView.as_view(), name="ci_update"),
    path("<int:pk>/relationships/", views.RelationshipAddView.as_view(), name="relationship_add"),
    path("relationships/<int:pk>/delete/", views.RelationshipDeleteView.as_view(), name="relationship_delete"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/<int:pk>/", views.ImportJobView.as_view(), name="import_job"),
    path("export/", views.ExportView.as_view(), name="export"),
]
