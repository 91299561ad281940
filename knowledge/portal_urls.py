"""The knowledge base in the self-service portal (/portal/kb/)."""

from django.urls import path

from knowledge import portal_views

app_name = "portal_kb"
urlpatterns = [
    path("", portal_views.HomeView.as_view(), name="home"),
    path("search/", portal_views.SearchView.as_view(), name="search"),
    path("suggest/", portal_views.SuggestView.as_view(), name="suggest"),
    path("thanks/", portal_views.ThanksView.as_view(), name="thanks"),
    path("<int:pk>/", portal_views.ArticleView.as_view(), name="article"),
    path("<int:pk>/feedback/", portal_views.FeedbackView.as_view(), name="feedback"),
    path("<int:pk>/solved/", portal_views.SolvedView.as_view(), name="solved"),
]
