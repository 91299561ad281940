"""Desk pages of the knowledge base (/kb/)."""

from django.urls import path

from knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article_list"),
    path("new/", views.ArticleCreateView.as_view(), name="article_create"),
    path("preview/", views.PreviewView.as_view(), name="preview"),
    path("report/", views.ReportView.as_view(), name="report"),
    path("related/<int:ct>/<int:pk>/", views.RelatedArticlesView.as_view(), name="related"),
    path("<int:pk>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("<int:pk>/edit/", views.ArticleUpdateView.as_view(), name="article_update"),
    path("<int:pk>/review/", views.ReviewActionView.as_view(), name="article_review"),
    path("<int:pk>/versions/", views.VersionsView.as_view(), name="article_versions"),
    path("<int:pk>/used/", views.RecordUseView.as_view(), name="article_used"),
]
