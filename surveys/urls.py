"""Desk pages of satisfaction surveys."""

from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("responses/", views.ResponseListView.as_view(), name="responses"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow_ups"),
    path("follow-ups/<int:pk>/done/", views.FollowUpDoneView.as_view(), name="follow_up_done"),
    path("settings/new/", views.SettingsFormView.as_view(), name="setting_create"),
    path("settings/<int:pk>/", views.SettingsFormView.as_view(), name="setting_edit"),
    path("questions/new/", views.QuestionFormView.as_view(), name="question_create"),
    path("questions/<int:pk>/", views.QuestionFormView.as_view(), name="question_edit"),
]
