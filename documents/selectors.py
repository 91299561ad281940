"""Reads of the document register for pages, the API and other apps."""

from django.db.models import Count, Q
from django.utils import timezone

from core import versioning
from documents.choices import DocumentState
from documents.models import Document


def _lines(version):
    return (version.body or "").splitlines()


def diff(old, new, *, mode="unified"):
    """The differences between two versions of a document (core.versioning)."""
    return versioning.compare(_lines(old), _lines(new), f"v{old.number}", f"v{new.number}", mode=mode)


def approved():
    """The documents in force: what ISO/IEC 20000-1 7.5 asks to show."""
    return Document.objects.current()


def summary(queryset, today=None):
    """Counts for the register's header: per state, and the approved ones overdue for review."""
    today = today or timezone.localdate()
    return queryset.order_by().aggregate(
        total=Count("id"),
        overdue=Count("id", filter=Q(state=DocumentState.APPROVED, review_at__lt=today)),
        **{state: Count("id", filter=Q(state=state)) for state in DocumentState.values},
    )


def for_service(ci, limit=20):
    return list(Document.objects.filter(services=ci).exclude(state=DocumentState.RETIRED).defer("search_vector")
                .order_by("kind", "number")[:limit])
