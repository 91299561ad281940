"""The API's JSON renderer: DRF's answer, byte for byte, written by orjson where it writes the same.

DRF's JSONRenderer encodes with the standard library's json (compact, UTF-8, strict): ~210 µs of
a 25-incident list's ~3.7 ms of CPU (issue 12, sixth round), where orjson takes ~13 µs. orjson
writes str, int, bool, None, dicts and lists exactly as json.dumps does with DRF's settings (its
escapes included); it writes floats in another notation (1e-05 as 0.00001) and NaN as null where
DRF refuses it, and other types through its own rules. So it serves only an answer made of those
plain values alone, checked first (~40 µs); any other answer, or an indented one (a `; indent=`
media type, the browsable API), is DRF's own.
"""

from itertools import compress

import orjson
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

_SCALARS = frozenset({str, int, bool, type(None)})
_STR_ONLY = frozenset({str})
_CONTAINERS = frozenset({dict, list, tuple})
_EXACT = _SCALARS | _CONTAINERS
# DRF escapes these two (valid JSON, but line ends in JavaScript); orjson writes them as they are.
_LINE_SEPARATOR, _PARAGRAPH_SEPARATOR = "\u2028".encode(), "\u2029".encode()


def _plain(value):
    """True if `value` is made of dicts with str keys, lists, tuples, str, int, bool and None
    only (their subclasses included, which both encoders write as the base type)."""
    if isinstance(value, dict):
        # The types of a row's values as one set (C loops, not a Python step per value): a list
        # page is ~1,500 values in ~100 dicts and lists (issue 12, eighth round).
        if not _STR_ONLY.issuperset(map(type, value)):
            return False
        items = value.values()
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return type(value) in _SCALARS or isinstance(value, (str, int))
    kinds = set(map(type, items))
    if _SCALARS.issuperset(kinds):
        return True
    if _EXACT.issuperset(kinds):
        # Only the containers are looked into, picked out in C: a row's 37 values were a Python
        # step each (issue 12, ninth round: ~1,000 of a list's ~18,000 Python lines).
        return all(map(_plain, compress(items, map(_CONTAINERS.__contains__, map(type, items)))))
    return all(_plain(item) for item in items if type(item) not in _SCALARS)


class JSONRenderer(DRFJSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is not None and not self.ensure_ascii and self.compact and self.strict \
                and self.get_indent(accepted_media_type, renderer_context or {}) is None and _plain(data):
            try:
                rendered = orjson.dumps(data)
            except TypeError:  # an int past 64 bits, a lone surrogate: DRF's answer (or error)
                pass
            else:
                if _LINE_SEPARATOR in rendered or _PARAGRAPH_SEPARATOR in rendered:
                    rendered = rendered.replace(_LINE_SEPARATOR, b"\\u2028")
                    rendered = rendered.replace(_PARAGRAPH_SEPARATOR, b"\\u2029")
                return rendered
        return super().render(data, accepted_media_type, renderer_context)
