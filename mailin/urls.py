"""Desk pages of mail in."""

from django.urls import path

from mailin import views

app_name = "mailin"
urlpatterns = [
    path("", views.MailboxListView.as_view(), name="mailbox_list"),
    path("mailboxes/new/", views.MailboxEditView.as_view(), name="mailbox_create"),
    path("mailboxes/<int:pk>/", views.MailboxEditView.as_view(), name="mailbox_edit"),
    path("messages/<int:pk>/raw/", views.RawMessageView.as_view(), name="message_raw"),
]
