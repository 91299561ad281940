"""Validation of a CI's `attributes` against its class's JSON Schema: plain Python, no ORM.

Errors name the JSON path of the offending value, e.g.
"attributes.cpu_count: 'x' is not of type 'integer'", so forms, the API and imports can
show the same message.
"""

from __future__ import annotations

import jsonschema
from django.utils.translation import get_language
from jsonschema import Draft202012Validator


def translated(translations, key):
    """`translations[<active language>][key]`, trying "ko" for "ko-kr"; None when not given."""
    language = (get_language() or "").lower()
    for code in (language, language.split("-")[0]):
        value = ((translations or {}).get(code) or {}).get(key)
        if value:
            return value
    return None


def property_label(name, spec) -> str:
    """What a person reads for one attribute: its title in the active language ("x-titles"),
    else its "title", else the property name made readable ("os_version" → "Os version")."""
    spec = spec or {}
    titles = {code: {"title": title} for code, title in (spec.get("x-titles") or {}).items()}
    return translated(titles, "title") or spec.get("title") or name.replace("_", " ").capitalize()


def check_schema(schema) -> list[str]:
    """Problems with a JSON Schema itself (empty when it is a usable schema)."""
    if schema in (None, {}):
        return []
    if not isinstance(schema, dict):
        return ["must be a JSON object"]
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        return [exc.message]
    return []


def property_names(schema) -> list[str]:
    """The schema's property names in display order ("x-order" first, then the rest by name)."""
    properties = (schema or {}).get("properties") or {}
    order = [name for name in (schema or {}).get("x-order") or [] if name in properties]
    return order + sorted(name for name in properties if name not in order)


def error_path(error, root: str = "attributes") -> str:
    parts = [root]
    for part in error.absolute_path:
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part}]"
        else:
            parts.append(str(part))
    return ".".join(parts)


def attribute_errors(schema, attributes, root: str = "attributes") -> list[str]:
    """Every violation of `schema` by `attributes`, each as "<json path>: <message>", sorted."""
    if not schema:
        return [] if isinstance(attributes, dict) else [f"{root}: must be a JSON object"]
    if check_schema(schema):
        # A broken schema from the admin must not lock everyone out of editing CIs.
        return []
    validator = Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(attributes), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    return [f"{error_path(e, root)}: {e.message}" for e in errors]
