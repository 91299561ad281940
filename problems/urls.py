from django.urls import path

from core.views_placeholder import placeholder

app_name = "problems"
urlpatterns = [
    path("", placeholder, {"title": "Problem management"}, name="problem_list"),
]
