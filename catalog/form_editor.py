"""The form editor's rows and the form definition (catalog.formschema) they stand for.

A row is a plain dict, one per question, as the desk's editor formset cleans it:
  name, kind, label, label_ko, help, help_ko, required, long_text, choices (list of
  (value, label, label_ko)), minimum, maximum, whole_number, max_length, show_if_field,
  show_if_value (text: one value, or several separated by commas), original (the name the
  question had when the editor was opened, so a renamed question keeps its other keywords).
Plain Python: the editor's view, its live preview and the tests share it.
"""

from decimal import Decimal

# Keywords the editor writes; any other keyword of a question (a pattern, minItems) is kept.
MANAGED_SCHEMA = {"type", "x-field", "enum", "items", "uniqueItems", "minimum", "maximum", "maxLength", "format"}
MANAGED_UI = {"label", "label_ko", "help", "help_ko", "widget", "choices", "show_if"}
YES = {"yes", "true", "y", "1", "예", "네"}
NO = {"no", "false", "n", "0", "아니요", "아니오"}


def _number(value):
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        value = float(value)
    return int(value) if float(value).is_integer() else float(value)


def _schema_of(row, base):
    kind = row["kind"]
    schema = {k: v for k, v in base.items() if k not in MANAGED_SCHEMA}
    schema["x-field"] = kind
    values = [value for value, _label, _label_ko in row.get("choices") or []]
    if kind == "number":
        schema["type"] = "integer" if row.get("whole_number") else "number"
        for key in ("minimum", "maximum"):
            if _number(row.get(key)) is not None:
                schema[key] = _number(row[key])
    elif kind == "date":
        schema.update(type="string", format="date")
    elif kind == "choice":
        schema.update(type="string", enum=values)
    elif kind == "multichoice":
        schema.update(type="array", items={"type": "string", "enum": values}, uniqueItems=True)
    elif kind in ("user", "ci"):
        schema["type"] = "integer"
    elif kind == "yesno":
        schema["type"] = "boolean"
    else:
        schema["type"] = "string"
        if kind == "text":
            schema["maxLength"] = row.get("max_length") or 2000
    return schema


def _show_if_value(text, controller):
    """The typed condition value(s) in the controlling question's own type."""
    parts = [p.strip() for p in str(text).split(",") if p.strip()] or [""]
    converted = []
    for part in parts:
        if controller and controller["kind"] == "yesno":
            lowered = part.lower()
            converted.append(True if lowered in YES else False if lowered in NO else part)
        elif controller and controller["kind"] in ("number", "user", "ci"):
            try:
                converted.append(_number(Decimal(part)))
            except ArithmeticError:
                converted.append(part)
        else:
            converted.append(part)
    return {"equals": converted[0]} if len(converted) == 1 else {"in": converted}


def definition_from_rows(rows, *, old_schema=None, old_ui=None):
    """(form_schema, form_ui) for the rows, in their order."""
    old_properties = (old_schema or {}).get("properties") or {}
    old_fields = (old_ui or {}).get("fields") or {}
    by_name = {row["name"]: row for row in rows}
    properties, fields, required, order = {}, {}, [], []
    for row in rows:
        name = row["name"]
        original = row.get("original") or name
        base = old_properties.get(original) if isinstance(old_properties.get(original), dict) else {}
        properties[name] = _schema_of(row, base)
        old_hints = old_fields.get(original) if isinstance(old_fields.get(original), dict) else {}
        hints = {k: v for k, v in old_hints.items() if k not in MANAGED_UI}
        for key in ("label", "label_ko", "help", "help_ko"):
            if row.get(key):
                hints[key] = row[key]
        if row["kind"] == "text" and row.get("long_text"):
            hints["widget"] = "textarea"
        if row["kind"] == "choice" and old_hints.get("widget") == "radio":
            hints["widget"] = "radio"
        if row["kind"] in ("choice", "multichoice"):
            hints["choices"] = {value: {k: v for k, v in (("label", label), ("label_ko", label_ko)) if v}
                                for value, label, label_ko in row.get("choices") or []}
        if row.get("show_if_field"):
            hints["show_if"] = {"field": row["show_if_field"],
                                **_show_if_value(row.get("show_if_value", ""), by_name.get(row["show_if_field"]))}
        fields[name] = hints
        if row.get("required"):
            required.append(name)
        order.append(name)
    schema = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    return schema, {"order": order, "fields": fields}


def _condition_text(condition):
    values = condition["in"] if "in" in condition else [condition.get("equals")]
    shown = []
    for value in values if isinstance(values, list) else [values]:
        shown.append(("yes" if value else "no") if isinstance(value, bool) else "" if value is None else str(value))
    return ", ".join(shown)


def rows_from_definition(form_schema, form_ui):
    """The editor's initial rows for a saved definition."""
    from catalog.formschema import form_fields

    rows = []
    for field in form_fields(form_schema, form_ui):
        schema, hints = field.schema, field.ui
        labels = hints.get("choices") if isinstance(hints.get("choices"), dict) else {}
        condition = field.show_if
        rows.append({
            "name": field.name, "original": field.name, "kind": field.kind,
            "label": hints.get("label", ""), "label_ko": hints.get("label_ko", ""),
            "help": hints.get("help", ""), "help_ko": hints.get("help_ko", ""),
            "required": field.required, "long_text": hints.get("widget") == "textarea",
            "choices": [(str(v), (labels.get(str(v)) or {}).get("label", ""), (labels.get(str(v)) or {}).get("label_ko", ""))
                        for v in field.values],
            "minimum": schema.get("minimum"), "maximum": schema.get("maximum"),
            "whole_number": schema.get("type") == "integer",
            "max_length": schema.get("maxLength") if field.kind == "text" else None,
            "show_if_field": condition["field"] if condition else "",
            "show_if_value": _condition_text(condition) if condition else "",
        })
    return rows


def choices_text(choices):
    """The editor's text for choices: one per line, "value | English label | Korean label"."""
    return "\n".join(" | ".join(part for part in choice) for choice in choices)


def parse_choices(text):
    """(value, label, label_ko) per non-empty line of "value | label | label_ko"; a line with one
    part is its own value and English label. Raises ValueError naming the bad line."""
    found = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > 3 or not parts[0]:
            raise ValueError(number)
        value = parts[0]
        label = parts[1] if len(parts) > 1 else value
        label_ko = parts[2] if len(parts) > 2 else ""
        found.append((value, label, label_ko))
    return found
