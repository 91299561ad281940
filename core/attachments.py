"""Attachment limits, shared by the desk, the portal and the API."""

import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.exceptions import DomainError


def validate_upload(upload):
    """Refuse files over the size limit or of a type not on the allowed list."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    allowed = [ext.lower() for ext in settings.ATTACHMENT_ALLOWED_EXTENSIONS]
    if not name or extension not in allowed:
        raise DomainError(
            _("Files of type “%(ext)s” are not accepted. Allowed types: %(allowed)s.")
            % {"ext": extension or _("none"), "allowed": ", ".join(allowed)},
            field="file", code="file_type",
        )
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise DomainError(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
            field="file", code="file_size",
        )
    return name, mimetypes.guess_type(name)[0] or "application/octet-stream"
