from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("pick/<slug:kind>/", views.PickerLookupView.as_view(), name="picker_lookup"),
]
