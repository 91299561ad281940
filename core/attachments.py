"""Attachment limits, shared by the desk, the portal and the API.

A file is accepted when its extension is on the allowed list, it is within the size limit, and
its content is what the extension says: an executable renamed `.pdf` or an SVG (which can carry
script) renamed `.png` is refused. Binary types are recognised by their signature with puremagic
(pure Python, so no libmagic to install on the host); text types have no signature, so they must
decode as text and hold no NUL or other control bytes that text never has.
"""

import mimetypes
from pathlib import PurePath

import puremagic
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.exceptions import DomainError

TEXT_EXTENSIONS = {"txt", "log", "csv", "json", "xml", "eml"}
# Word, Excel, PowerPoint and OpenDocument files are zip containers: any of these signatures will do
# (puremagic cannot always tell them apart, and a zip in a .docx is no more dangerous than a zip).
ZIP_FAMILY = {"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "xlsb", "xltx", "xltm", "docm", "xlsm", "pptm",
              "dotx", "potx", "jar"}
# Extensions that name the same content as another one.
SAME_AS = {"jpeg": "jpg", "jpe": "jpg", "jfif": "jpg", "tif": "tiff"}
# Text may be UTF-8 (with or without BOM), UTF-16 with a BOM, or the Korean legacy code page Excel writes.
TEXT_ENCODINGS = ("utf-8-sig", "cp949")
ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\x1b"}  # \x1b: terminal colours in pasted logs


def _refuse_content(name, extension):
    raise DomainError(
        _("The content of %(name)s is not a .%(ext)s file.") % {"name": name, "ext": extension},
        field="file", code="file_content",
    )


def _is_text(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    else:
        if b"\x00" in data:
            return False
        candidates = TEXT_ENCODINGS
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not any(ch < " " and ch not in ALLOWED_CONTROLS for ch in text) and "\x00" not in text
    return False


def _signature_extensions(data):
    """Extensions (normalised, no dot) whose signature the content carries."""
    try:
        guesses = puremagic.magic_string(data)
    except (puremagic.PureError, ValueError):
        return set()
    found = set()
    for guess in guesses:
        extension = guess.extension.lower().lstrip(".")
        found.add(SAME_AS.get(extension, extension))
    return found


def content_matches(data, extension):
    """Whether the bytes are a file of the given (lower-case, allowed) extension."""
    extension = SAME_AS.get(extension, extension)
    if extension in TEXT_EXTENSIONS:
        return _is_text(data)
    found = _signature_extensions(data)
    if extension in ZIP_FAMILY:
        return bool(found & ZIP_FAMILY)
    # Any other type (pdf, png, jpg, gif, webp, or one an administrator added) must carry its own
    # signature: a type puremagic does not know cannot be checked, so it is refused.
    return extension in found


def _read(upload):
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def validate_upload(upload):
    """Refuse files of a type not on the allowed list, over the size limit, or whose content is not
    what their extension says; answer the file's safe name and MIME type."""
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
    if not content_matches(_read(upload), extension):
        _refuse_content(name, extension)
    return name, mimetypes.guess_type(name)[0] or "application/octet-stream"
