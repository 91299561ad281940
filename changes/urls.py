from django.urls import path

from changes import views

app_name = "changes"
urlpatterns = [
    path("", views.ChangeListView.as_view(), name="change_list"),
    path("new/", views.ChangeCreateView.as_view(), name="change_create"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("<int:pk>/", views.ChangeDetailView.as_view(), name="change_detail"),
    path("<int:pk>/dependencies/", views.ChangeDependenciesView.as_view(), name="change_dependencies"),
    path("<int:pk>/edit/", views.ChangeUpdateView.as_view(), name="change_update"),
    path("<int:pk>/transition/", views.ChangeActionView.as_view(action="transition"), name="change_transition"),
    path("<int:pk>/approve/", views.ChangeActionView.as_view(action="approval"), name="change_approve"),
    path("<int:pk>/risk/", views.ChangeActionView.as_view(action="risk"), name="change_risk"),
    path("<int:pk>/pir/", views.ChangeActionView.as_view(action="pir"), name="change_pir"),
    path("<int:pk>/comment/", views.ChangeActionView.as_view(action="comment", success_anchor="#activity"),
         name="change_comment"),
    path("<int:pk>/conflicts/", views.ChangeActionView.as_view(action="conflicts"), name="change_conflicts"),
]
