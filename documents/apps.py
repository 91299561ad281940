"""Policies, plans, procedures, architecture documents, ISPs, PoC records, requirements and continuity plans (DOC…): one versioned, reviewed and approved register."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Document register")
