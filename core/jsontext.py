"""JSON text from outside (request bodies, imported files), decoded with a bound on nesting.

The standard decoder recurses once per level: a body nested 100,000 levels deep raises
RecursionError, which no caller expects and which answered 500. No record we accept nests
deeper than a few levels, so anything past MAX_DEPTH is refused as malformed input.
"""

import json

from django.utils.translation import gettext as _

MAX_DEPTH = 64


class JSONTooDeep(ValueError):
    """The text is JSON nested deeper than we accept (a ValueError, like a syntax error)."""

    def __init__(self, max_depth=MAX_DEPTH):
        super().__init__(_("JSON nested more than %(depth)d levels deep is not accepted.") % {"depth": max_depth})


def depth(value):
    """How deeply lists and objects nest in a decoded value, without recursing."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def loads(text, *, max_depth=MAX_DEPTH, **kwargs):
    """json.loads, raising JSONTooDeep (a ValueError) instead of RecursionError or a deep value."""
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise JSONTooDeep(max_depth) from None
    if depth(value) > max_depth:
        raise JSONTooDeep(max_depth)
    return value
