"""Policies, plans, procedures, architecture documents, ISPs, PoC records, requirements and continuity plans (DOC…): one versioned, reviewed and approved register."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Document register")

    def ready(self):
        from core import demo, evidence, history, navigation
        from documents import demo as documents_demo
        from documents import selectors

        from documents.models import Document

        # Audit rows about the text versions and the distribution are not model fields.
        history.register("versions", model=Document, label=_("Text version"), display=_version_text)
        history.register("acknowledged", model=Document, label=_("Acknowledged"), display=_version_text,
                         sentence=True)
        history.register("distribution", model=Document, label=_("Distributed to"), sentence=True)
        navigation.register("documents", _("Documents"), "documents:list", group="improve", order=50)
        # Documented information (7.5): the approved documents in force. Each document also
        # serves its own `clauses`, which the iso app reads from the register itself.
        evidence.register("7.5", "documents.Document", date_field="approved_at", label=_("Approved documents"),
                          queryset=selectors.approved)
        demo.register("documents", documents_demo.seed, after=("accounts", "cmdb", "changes", "releases"))


def _version_text(raw, entry):
    return f"v{raw}" if raw else "—"
