"""Desk pages of the knowledge base (filled by the pages work)."""

app_name = "knowledge"

urlpatterns = []
