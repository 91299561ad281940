from django.urls import path

from fulfilment import views

app_name = "fulfilment"
urlpatterns = [
    path("", views.RequestListView.as_view(), name="request_list"),
    path("<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("<int:pk>/decide/", views.RequestActionView.as_view(action="decide"), name="request_decide"),
    path("<int:pk>/cancel/", views.RequestActionView.as_view(action="cancel"), name="request_cancel"),
    path("<int:pk>/close/", views.RequestActionView.as_view(action="close"), name="request_close"),
    path("<int:pk>/comment/", views.RequestActionView.as_view(action="comment", success_anchor="#activity"),
         name="request_comment"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/work/", views.TaskActionView.as_view(action="work"), name="task_work"),
    path("tasks/<int:pk>/assign/", views.TaskActionView.as_view(action="assign"), name="task_assign"),
    path("tasks/<int:pk>/take/", views.TaskActionView.as_view(action="take"), name="task_take"),
    path("tasks/<int:pk>/comment/", views.TaskActionView.as_view(action="comment", success_anchor="#activity"),
         name="task_comment"),
]
