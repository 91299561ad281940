from django.urls import path

from releases import views

app_name = "releases"
urlpatterns = [
    path("", views.ReleaseListView.as_view(), name="release_list"),
    path("new/", views.ReleaseCreateView.as_view(), name="release_create"),
    path("<int:pk>/", views.ReleaseDetailView.as_view(), name="release_detail"),
    path("<int:pk>/edit/", views.ReleaseUpdateView.as_view(), name="release_update"),
    path("<int:pk>/transition/", views.ReleaseActionView.as_view(action="transition"), name="release_transition"),
    path("<int:pk>/comment/", views.ReleaseActionView.as_view(action="comment", success_anchor="#activity"),
         name="release_comment"),
    path("<int:pk>/deploy/", views.ReleaseActionView.as_view(action="deploy"), name="release_deploy"),
]
