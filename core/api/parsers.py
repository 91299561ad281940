"""The API's JSON parser: a body nested too deep is a 400 with a reason, never a 500.

DRF reads JSON bodies through request.body, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE bounds
their size (RequestDataTooBig, answered 400 by core.api.exceptions); this bounds their depth.
"""

import codecs

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.settings import api_settings
from rest_framework.utils import json

from core import jsontext


class JSONParser(parsers.JSONParser):
    """DRF's parser decoding through core.jsontext (RecursionError and deep values refused)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(stream.read(), encoding)
            parse_constant = json.strict_constant if api_settings.STRICT_JSON else None
            return jsontext.loads(text, parse_constant=parse_constant)
        except ValueError as exc:  # a syntax error, JSONTooDeep or UnicodeDecodeError
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
