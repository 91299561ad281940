"""Reading the audit trail of one record in tests."""

from django.contrib.contenttypes.models import ContentType

from core.models import AuditEntry


def trail(obj, *, model=None, pk=None):
    """The audit rows of `obj` (or of `model` with `pk`, for a deleted record), oldest first."""
    content_type = ContentType.objects.get_for_model(model or type(obj))
    return list(AuditEntry.objects.filter(content_type=content_type, object_id=pk or obj.pk).order_by("id"))
