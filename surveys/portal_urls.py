"""Portal pages of surveys."""

from django.urls import path

from surveys import portal_views as views

app_name = "surveys_portal"
urlpatterns = [
    path("", views.MySurveysView.as_view(), name="list"),
    path("<int:pk>/", views.AnswerView.as_view(), name="answer"),
    path("link/<str:token>/", views.LinkAnswerView.as_view(), name="link"),
]
