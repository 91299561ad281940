from django.urls import path

from fulfilment.approval_views import DecideByLinkView

app_name = "request_approvals"
urlpatterns = [
    path("<str:token>/", DecideByLinkView.as_view(), name="decide"),
]
