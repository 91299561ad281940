"""Desk pages of internal audit and management review, under /iso/audits/."""

from django.urls import path

from assurance import views

app_name = "assurance"
urlpatterns = [
    path("", views.ProgrammeView.as_view(), name="programme"),
    path("new/", views.AuditCreateView.as_view(), name="audit_create"),
    path("<int:pk>/", views.AuditDetailView.as_view(), name="audit_detail"),
    path("<int:pk>/transition/", views.AuditTransitionView.as_view(), name="audit_transition"),
    path("<int:pk>/findings/new/", views.FindingCreateView.as_view(), name="finding_create"),
    path("findings/<int:pk>/close/", views.FindingCloseView.as_view(), name="finding_close"),
    path("reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("reviews/new/", views.ReviewCreateView.as_view(), name="review_create"),
    path("reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("reviews/<int:pk>/pack/", views.ReviewPackView.as_view(), name="review_pack"),
    path("reviews/<int:pk>/pack/pdf/", views.ReviewPackPdfView.as_view(), name="review_pack_pdf"),
    path("reviews/<int:pk>/generate/", views.ReviewGenerateView.as_view(), name="review_generate"),
    path("reviews/<int:pk>/actions/new/", views.ReviewActionCreateView.as_view(), name="review_action_create"),
    path("reviews/actions/<int:pk>/state/", views.ReviewActionStateView.as_view(), name="review_action_state"),
    path("certification/", views.CertificationView.as_view(), name="certification"),
    path("certification/new/", views.CertificationCreateView.as_view(), name="certification_create"),
]
