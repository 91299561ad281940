"""Desk pages of the document register."""

from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("new/", views.DocumentCreateView.as_view(), name="create"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.DocumentUpdateView.as_view(), name="update"),
    path("<int:pk>/transition/", views.DocumentTransitionView.as_view(), name="transition"),
    path("<int:pk>/versions/", views.DocumentVersionView.as_view(), name="add_version"),
    path("<int:pk>/diff/", views.DocumentDiffView.as_view(), name="diff"),
    path("<int:pk>/distribute/", views.DocumentDistributeView.as_view(), name="distribute"),
    path("<int:pk>/acknowledge/", views.DocumentAcknowledgeView.as_view(), name="acknowledge"),
    path("<int:pk>/comment/", views.DocumentCommentView.as_view(), name="comment"),
]
