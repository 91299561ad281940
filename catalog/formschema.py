"""An item's request form: a JSON Schema of the answers (`CatalogItem.form_schema`) plus UI
hints (`CatalogItem.form_ui`). One module validates answers on the server and builds the Django
form the portal renders, so no item needs a template of its own.

Shape (the contract between the catalog editor, the portal, the API and the demo data):

form_schema = {
  "type": "object",
  "properties": {
    "<name>": <JSON Schema of one answer>, ...
  },
  "required": [<names required whenever shown>],
  "additionalProperties": false,
}
Field types and their JSON Schema (the `x-field` keyword names the type):
  text         {"type": "string", "maxLength": 2000, "x-field": "text"}      (form_ui widget "textarea" for long text)
  number       {"type": "number" | "integer", "minimum": .., "maximum": .., "x-field": "number"}
  date         {"type": "string", "format": "date", "x-field": "date"}
  choice       {"type": "string", "enum": [values], "x-field": "choice"}
  multichoice  {"type": "array", "items": {"type": "string", "enum": [values]}, "uniqueItems": true, "x-field": "multichoice"}
  user         {"type": "integer", "x-field": "user"}       (a user id the requester may see)
  ci           {"type": "integer", "x-field": "ci"}         (a configuration item id the requester may see)
  attachment   {"type": "string", "x-field": "attachment"}  (the file's name; the file is stored as an
                                                            attachment of the request)
  yesno        {"type": "boolean", "x-field": "yesno"}

form_ui = {
  "order": [<names in display order>],
  "fields": {
    "<name>": {
      "label": "...", "label_ko": "...", "help": "...", "help_ko": "...",
      "widget": "textarea",                                 (optional)
      "choices": {"<value>": {"label": "...", "label_ko": "..."}},   (choice, multichoice)
      "show_if": {"field": "<other name>", "equals": <value>}         (or "in": [values])
    }
  }
}
A field with `show_if` is shown (and, if listed in `required`, required) only when the other
field's answer equals the value; an answer to a hidden field is refused.

An empty answer (null, "", []) counts as no answer, so an HTML form may post its blank inputs.
The Django form of `build_form` renders through `catalog/includes/request_form.html` (each field
wrapped with its show_if data attributes, read by static/js/catalog-form.js).
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

FIELD_TYPES = {
    "text": gettext_lazy("Text"),
    "number": gettext_lazy("Number"),
    "date": gettext_lazy("Date"),
    "choice": gettext_lazy("Choice"),
    "multichoice": gettext_lazy("Several choices"),
    "user": gettext_lazy("Person"),
    "ci": gettext_lazy("Configuration item"),
    "attachment": gettext_lazy("Attachment"),
    "yesno": gettext_lazy("Yes or no"),
}
# The JSON type each field type's answers have (number may also be "integer").
JSON_TYPES = {"text": ("string",), "number": ("number", "integer"), "date": ("string",), "choice": ("string",),
              "multichoice": ("array",), "user": ("integer",), "ci": ("integer",), "attachment": ("string",),
              "yesno": ("boolean",)}
# Field names become HTML input names and JSON keys in the API: keep them plain.
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,49}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
BIGINT_MAX = 2**63 - 1
MAX_ATTACHMENT_NAME = 255


class AnswersInvalid(Exception):
    """Answers that break the form: `errors` maps each field name to its messages."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _korean():
    return (get_language() or "").startswith("ko")


def localized_text(mapping, key):
    """`mapping[key + "_ko"]` for a Korean reader when filled, else `mapping[key]` (and back)."""
    if not isinstance(mapping, dict):
        return ""
    english = str(mapping.get(key) or "")
    korean = str(mapping.get(f"{key}_ko") or "")
    return (korean or english) if _korean() else (english or korean)


@dataclass(frozen=True)
class FormField:
    """One question of a form, read from the schema and the UI hints together."""

    name: str
    kind: str
    schema: dict
    ui: dict
    required: bool

    @property
    def label(self):
        return localized_text(self.ui, "label") or self.name

    @property
    def help(self):
        return localized_text(self.ui, "help")

    @property
    def show_if(self):
        condition = self.ui.get("show_if")
        return condition if isinstance(condition, dict) and condition.get("field") else None

    @property
    def values(self):
        """The allowed values of a choice or multi-choice field, in schema order."""
        source = self.schema.get("items", {}) if self.kind == "multichoice" else self.schema
        enum = source.get("enum") if isinstance(source, dict) else None
        return list(enum) if isinstance(enum, list) else []

    @property
    def choices(self):
        """(value, label in the active language) of each allowed value."""
        labels = self.ui.get("choices") if isinstance(self.ui.get("choices"), dict) else {}
        return [(value, localized_text(labels.get(str(value)), "label") or str(value)) for value in self.values]

    @property
    def integer(self):
        return self.kind in ("user", "ci") or self.schema.get("type") == "integer"

    def display(self, value):
        """An answer as a reader sees it (a choice's label, yes or no)."""
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        labels = dict(self.choices)
        if isinstance(value, list):
            return ", ".join(str(labels.get(v, v)) for v in value)
        return str(labels.get(value, value))


def form_fields(form_schema, form_ui) -> list[FormField]:
    """The form's questions in display order: `form_ui.order` first, then the rest in schema order.
    A malformed definition gives what can be read of it (check_form_definition says what is wrong)."""
    schema = form_schema if isinstance(form_schema, dict) else {}
    ui = form_ui if isinstance(form_ui, dict) else {}
    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    required = set(schema.get("required") or []) if isinstance(schema.get("required"), list) else set()
    ui_fields = ui.get("fields") if isinstance(ui.get("fields"), dict) else {}
    order = [n for n in (ui.get("order") or []) if isinstance(n, str) and n in properties] \
        if isinstance(ui.get("order"), list) else []
    names = list(dict.fromkeys(order + list(properties)))
    found = []
    for name in names:
        prop = properties[name] if isinstance(properties[name], dict) else {}
        hints = ui_fields.get(name) if isinstance(ui_fields.get(name), dict) else {}
        found.append(FormField(name=name, kind=str(prop.get("x-field") or "text"), schema=prop, ui=hints,
                               required=name in required))
    return found


def item_fields(item) -> list[FormField]:
    return form_fields(item.form_schema, item.form_ui)


# --- which questions are shown ------------------------------------------------------------------

def _wanted(condition):
    if "in" in condition:
        return condition["in"] if isinstance(condition["in"], list) else [condition["in"]]
    return [condition.get("equals")]


def _matches(condition, value):
    wanted = _wanted(condition)
    same = lambda a, b: a == b and isinstance(a, bool) == isinstance(b, bool)  # noqa: E731 True is not 1
    if isinstance(value, list):
        return any(same(v, w) for v in value for w in wanted)
    return value is not None and any(same(value, w) for w in wanted)


def shown_names(fields, answers) -> set:
    """The names of the questions shown for these answers: those without a condition, and those
    whose controlling question is itself shown and answered with one of the values."""
    by_name = {f.name: f for f in fields}
    memo: dict[str, bool] = {}

    def shown(name, trail):
        if name not in memo:
            condition = by_name[name].show_if
            if condition is None:
                memo[name] = True
            else:
                other = condition["field"]
                # A condition on a missing field, on itself or in a loop hides the question for good.
                memo[name] = (other in by_name and other not in trail
                              and shown(other, trail | {name}) and _matches(condition, answers.get(other)))
        return memo[name]

    return {name for name in by_name if shown(name, frozenset())}


# --- validating answers ---------------------------------------------------------------------------

def _empty(value):
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _coerce(field, value):
    """Forgiving only where a client's JSON may differ harmlessly: trimmed text, numbers sent as
    text ("3"), whole numbers as floats (3.0). Everything else is checked as sent."""
    if isinstance(value, str):
        value = value.strip()
        if field.kind in ("number", "user", "ci") and _NUMBER.fullmatch(value):
            value = float(value) if "." in value else int(value)
    if isinstance(value, float) and field.integer and math.isfinite(value) and value.is_integer():
        value = int(value)
    if field.kind == "multichoice" and isinstance(value, list):
        value = [v.strip() if isinstance(v, str) else v for v in value]
    return value


def _type_message(field):
    return {
        "text": _("%(label)s: give text."),
        "number": _("%(label)s: give a whole number.") if field.integer else _("%(label)s: give a number."),
        "date": _("%(label)s: give a date as YYYY-MM-DD."),
        "choice": _("%(label)s: choose one of the listed options."),
        "multichoice": _("%(label)s: choose options from the list."),
        "user": _("%(label)s: pick a person from the list."),
        "ci": _("%(label)s: pick a configuration item from the list."),
        "attachment": _("%(label)s: attach a file."),
        "yesno": _("%(label)s: answer yes or no."),
    }.get(field.kind, _("%(label)s: this answer is not valid.")) % {"label": field.label}


def _error_message(field, error):
    """A jsonschema error in the reader's language, naming the question."""
    params = {"label": field.label, "limit": error.validator_value, "value": error.instance}
    keyword = error.validator
    if keyword == "type":
        return _type_message(field)
    if keyword == "enum":
        return _("%(label)s: “%(value)s” is not one of the choices.") % params
    messages = {
        "minimum": _("%(label)s: give %(limit)s or more."),
        "maximum": _("%(label)s: give %(limit)s or less."),
        "exclusiveMinimum": _("%(label)s: give more than %(limit)s."),
        "exclusiveMaximum": _("%(label)s: give less than %(limit)s."),
        "maxLength": _("%(label)s: write at most %(limit)s characters."),
        "minLength": _("%(label)s: write at least %(limit)s characters."),
        "minItems": _("%(label)s: choose at least %(limit)s."),
        "maxItems": _("%(label)s: choose at most %(limit)s."),
        "uniqueItems": _("%(label)s: choose each option once."),
        "pattern": _("%(label)s: this answer is not in the expected form."),
        "multipleOf": _("%(label)s: give a multiple of %(limit)s."),
    }
    return messages.get(keyword, _("%(label)s: this answer is not valid.")) % params


def _value_problems(field, value):
    """What is wrong with one (present, coerced) answer, checked against its own JSON Schema."""
    if field.kind not in JSON_TYPES:
        return [_("%(label)s: this question cannot be answered (its type is unknown).") % {"label": field.label}]
    strings = value if isinstance(value, list) else [value]
    if any(isinstance(s, str) and "\x00" in s for s in strings):
        return [_("%(label)s: the answer holds a character that cannot be stored.") % {"label": field.label}]
    if isinstance(value, float) and not math.isfinite(value):
        return [_type_message(field)]
    if field.integer and isinstance(value, int) and not isinstance(value, bool) and not 0 < value <= BIGINT_MAX \
            and field.kind in ("user", "ci"):
        return [_type_message(field)]
    schema = {k: v for k, v in field.schema.items() if not k.startswith("x-")}
    if field.kind in ("user", "ci"):
        schema["type"] = "integer"
    try:
        errors = list(Draft202012Validator(schema).iter_errors(value))
    except SchemaError:  # a broken definition: refuse rather than accept anything
        return [_("%(label)s: this question cannot be answered (its definition is broken).") % {"label": field.label}]
    if errors:
        errors.sort(key=lambda e: (e.validator != "type", list(e.path)))
        return list(dict.fromkeys(_error_message(field, e) for e in errors))
    if field.kind == "date":
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError
            datetime.date.fromisoformat(value)
        except ValueError:
            return [_type_message(field)]
    if field.kind == "attachment" and len(value) > MAX_ATTACHMENT_NAME:
        return [_("%(label)s: the file name is too long.") % {"label": field.label}]
    return []


def _hidden_message(field, by_name):
    condition = field.show_if
    other = by_name.get(condition["field"])
    if other is None:
        return _("%(label)s: this question is not asked; leave it out.") % {"label": field.label}
    values = " / ".join(other.display(v) for v in _wanted(condition))
    return _("%(label)s is asked only when “%(other)s” is %(values)s; leave it out.") % {
        "label": field.label, "other": other.label, "values": values}


def _check_references(fields, cleaned, user, errors):
    """User and CI answers must be records the requester may pick (the pickers' own rule)."""
    from core import pickers

    for kind, picker, message in (
        ("user", "person", _("%(label)s: this person cannot be chosen here.")),
        ("ci", "ci", _("%(label)s: this configuration item cannot be chosen here.")),
    ):
        asked = {f.name: f for f in fields if f.kind == kind and f.name in cleaned}
        if not asked:
            continue
        ids = {cleaned[name] for name in asked}
        allowed = set(pickers.get(picker).options(user).filter(pk__in=ids).values_list("pk", flat=True))
        for name, field in asked.items():
            if cleaned[name] not in allowed:
                errors[name].append(message % {"label": field.label})
                del cleaned[name]


def clean_answers(fields, answers, *, user):
    """validate_answers over a list of FormField (the editor's preview has no saved item)."""
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise AnswersInvalid({"answers": [_("Send the answers as an object of field names and values.")]})
    errors = defaultdict(list)
    by_name = {f.name: f for f in fields}
    for key in answers:
        if key not in by_name:
            errors[str(key)[:100]].append(_("“%(name)s” is not a question of this form.") % {"name": str(key)[:100]})
    values = {f.name: _coerce(f, answers[f.name]) for f in fields
              if f.name in answers and not _empty(answers[f.name])}
    shown = shown_names(fields, values)
    cleaned = {}
    for field in fields:
        if field.name not in shown:
            if field.name in values:
                errors[field.name].append(_hidden_message(field, by_name))
        elif field.name not in values:
            if field.required:
                errors[field.name].append(_("%(label)s: this answer is required.") % {"label": field.label})
        elif problems := _value_problems(field, values[field.name]):
            errors[field.name].extend(problems)
        else:
            cleaned[field.name] = values[field.name]
    _check_references(fields, cleaned, user, errors)
    if errors:
        raise AnswersInvalid(dict(errors))
    return cleaned


def validate_answers(item, answers, *, user):
    """The answers cleaned (types coerced, hidden fields absent), or AnswersInvalid naming each
    bad field. `user` is the requester: user and CI answers must be records they may see."""
    return clean_answers(item_fields(item), answers, user=user)


# --- checking a definition (the editor and the API) -----------------------------------------------

def _field_problems(name, prop, hints):
    problems = []
    say = lambda message, **extra: problems.append(message % {"name": name, **extra})  # noqa: E731
    if not NAME_PATTERN.fullmatch(name):
        say(_("“%(name)s”: a field name is lower-case letters, digits and underscores, starting with a letter "
              "(at most 50)."))
    if not isinstance(prop, dict):
        say(_("“%(name)s”: the field must be described by a JSON object."))
        return problems
    kind = prop.get("x-field")
    if kind not in FIELD_TYPES:
        say(_("“%(name)s”: unknown field type “%(kind)s” (x-field); use one of %(known)s."),
            kind=kind, known=", ".join(FIELD_TYPES))
        return problems
    if prop.get("type") not in JSON_TYPES[kind]:
        say(_("“%(name)s”: a %(kind)s field has JSON type %(types)s."), kind=kind, types=" / ".join(JSON_TYPES[kind]))
    if kind in ("choice", "multichoice"):
        field = FormField(name=name, kind=kind, schema=prop, ui=hints, required=False)
        values = field.values
        if not values or not all(isinstance(v, str) and v.strip() for v in values):
            say(_("“%(name)s”: give the choices (a list of non-empty texts)."))
        elif len(set(values)) != len(values):
            say(_("“%(name)s”: each choice may appear once."))
        labels = hints.get("choices") if isinstance(hints.get("choices"), dict) else {}
        unlabelled = [str(v) for v in values if not localized_text(labels.get(str(v)), "label")]
        if unlabelled:
            say(_("“%(name)s”: these choices have no label: %(values)s."), values=", ".join(unlabelled))
    return problems


def _show_if_problems(fields, by_name):
    problems = []
    for field in fields:
        condition = field.ui.get("show_if")
        if condition is None:
            continue
        params = {"name": field.name, "other": condition.get("field") if isinstance(condition, dict) else ""}
        if not isinstance(condition, dict) or not condition.get("field") or not (
                "equals" in condition or "in" in condition):
            problems.append(_("“%(name)s”: “shown only when” needs a field and a value.") % params)
        elif condition["field"] == field.name:
            problems.append(_("“%(name)s”: a field cannot be shown only when it is answered itself.") % params)
        elif condition["field"] not in by_name:
            problems.append(_("“%(name)s”: “shown only when” names “%(other)s”, which is not a field of this form.")
                            % params)
        else:
            other = by_name[condition["field"]]
            if other.values and any(v not in other.values for v in _wanted(condition)):
                problems.append(_("“%(name)s”: “shown only when” gives a value that “%(other)s” does not offer.")
                                % params)
    if not problems:
        # A loop (a shown when b, b shown when a) would hide every field in it for good.
        for field in fields:
            seen, current = {field.name}, field
            while current.show_if and current.show_if["field"] in by_name:
                current = by_name[current.show_if["field"]]
                if current.name in seen:
                    problems.append(_("“%(name)s”: its “shown only when” conditions go round in a loop.")
                                    % {"name": field.name})
                    break
                seen.add(current.name)
    return problems


def check_form_definition(form_schema, form_ui) -> list:
    """What is wrong with a form definition, each problem naming the field (empty: it is sound)."""
    form_ui = {} if form_ui is None else form_ui
    if form_schema in (None, {}) and not (isinstance(form_ui, dict) and form_ui.get("fields")):
        return []  # an item without questions
    if not isinstance(form_schema, dict):
        return [_("The form must be a JSON object.")]
    if not isinstance(form_ui, dict):
        return [_("The form layout must be a JSON object.")]
    problems = []
    try:
        Draft202012Validator.check_schema(form_schema)
    except SchemaError as exc:
        problems.append(_("The form is not a valid JSON Schema: %(error)s") % {"error": exc.message})
    if form_schema.get("type", "object") != "object":
        problems.append(_("The form must describe an object (\"type\": \"object\")."))
    properties = form_schema.get("properties", {})
    if not isinstance(properties, dict):
        return problems + [_("The form's properties must be a JSON object.")]
    ui_fields = form_ui.get("fields", {})
    if not isinstance(ui_fields, dict):
        problems.append(_("The layout's fields must be a JSON object."))
        ui_fields = {}
    for name, prop in properties.items():
        hints = ui_fields.get(name) if isinstance(ui_fields.get(name), dict) else {}
        problems.extend(_field_problems(name, prop, hints))
    required = form_schema.get("required", [])
    if not isinstance(required, list):
        problems.append(_("The form's required names must be a list."))
    else:
        for name in required:
            if name not in properties:
                problems.append(_("“%(name)s” is required but is not a field of this form.") % {"name": name})
    for name in ui_fields:
        if name not in properties:
            problems.append(_("The layout describes “%(name)s”, which is not a field of this form.") % {"name": name})
    order = form_ui.get("order", [])
    if not isinstance(order, list):
        problems.append(_("The layout's order must be a list of field names."))
    else:
        for name in order:
            if not isinstance(name, str) or name not in properties:
                problems.append(_("The layout's order names “%(name)s”, which is not a field of this form.")
                                % {"name": name})
        if len(set(map(str, order))) != len(order):
            problems.append(_("The layout's order names a field twice."))
    fields = form_fields(form_schema, form_ui)
    problems.extend(_show_if_problems(fields, {f.name: f for f in fields}))
    return problems


# --- the Django form -----------------------------------------------------------------------------

def _html_value(value):
    """A show_if value as the browser sees the controlling input's value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _yes_no(value):
    return {"true": True, "false": False}.get(value)


def _django_field(field, user):
    from core import pickers

    options = dict(label=field.label, help_text=field.help, required=field.required and not field.show_if)
    required_message = _("%(label)s: this answer is required.") % {"label": field.label}
    invalid = _type_message(field)
    messages = {"required": required_message, "invalid": invalid, "invalid_choice": invalid,
                "invalid_list": invalid}
    schema, attrs = field.schema, {}
    if field.kind == "number":
        for key, attr in (("minimum", "min"), ("maximum", "max")):
            if isinstance(schema.get(key), (int, float)) and not isinstance(schema.get(key), bool):
                attrs[attr] = schema[key]
        if field.integer:
            django_field = forms.IntegerField(widget=forms.NumberInput(attrs=attrs), **options)
        else:
            django_field = forms.FloatField(widget=forms.NumberInput(attrs={"step": "any", **attrs}), **options)
    elif field.kind == "date":
        django_field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                       input_formats=["%Y-%m-%d"], **options)
    elif field.kind == "choice":
        widget = forms.RadioSelect if field.ui.get("widget") == "radio" else forms.Select
        blank = [] if widget is forms.RadioSelect else [("", "—")]
        django_field = forms.ChoiceField(choices=blank + field.choices, widget=widget, **options)
    elif field.kind == "multichoice":
        django_field = forms.MultipleChoiceField(choices=field.choices, widget=forms.CheckboxSelectMultiple,
                                                 **options)
    elif field.kind in ("user", "ci"):
        django_field = pickers.PickerField("person" if field.kind == "user" else "ci", user=user, **options)
    elif field.kind == "attachment":
        django_field = forms.FileField(max_length=MAX_ATTACHMENT_NAME, **options)
    elif field.kind == "yesno":
        django_field = forms.TypedChoiceField(choices=[("true", _("Yes")), ("false", _("No"))], coerce=_yes_no,
                                              empty_value=None, widget=forms.RadioSelect, **options)
    else:
        textarea = field.ui.get("widget") == "textarea"
        max_length = schema.get("maxLength") if isinstance(schema.get("maxLength"), int) else None
        django_field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}) if textarea else forms.TextInput,
                                       max_length=max_length, **options)
    django_field.error_messages.update(messages)
    django_field.catalog_field = field
    return django_field


def _answer_value(value):
    """A cleaned Django value as the JSON answer validate_answers expects."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if hasattr(value, "_meta"):
        return value.pk
    if hasattr(value, "read") and hasattr(value, "name"):
        return value.name
    return value


class CatalogRequestForm(forms.Form):
    """An item's questions. After is_valid(): `answers` (the cleaned JSON answers) and `uploads`
    ({field name: uploaded file}, to store as attachments of the request)."""

    # The template loads static/js/catalog-form.js itself (like the picker widget loads picker.js).
    template_name = "catalog/includes/request_form.html"

    def __init__(self, *args, fields=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalog_fields = list(fields)
        self.user = user
        self.answers, self.uploads = {}, {}
        for field in self.catalog_fields:
            django_field = _django_field(field, user)
            if field.show_if:
                django_field.show_if = {
                    "field": self.add_prefix(field.show_if["field"]),
                    "values": json.dumps([_html_value(v) for v in _wanted(field.show_if)], ensure_ascii=False),
                }
                django_field.widget.attrs.update({"data-show-if-field": django_field.show_if["field"],
                                                  "data-show-if-values": django_field.show_if["values"]})
            self.fields[field.name] = django_field

    def render(self, template_name=None, context=None, renderer=None):
        # The project's template engine (the form renderer's own engine does not see templates/,
        # where includes/field.html, shared by every desk form, lives).
        return mark_safe(render_to_string(template_name or self.template_name, context or self.get_context()))

    # Django binds these to RenderableMixin.render itself, not to an override.
    __str__ = render
    __html__ = render

    def clean(self):
        cleaned = super().clean()
        answers = {}
        for field in self.catalog_fields:
            if field.name in self._errors or field.name not in cleaned:
                continue
            value = cleaned[field.name]
            if field.kind == "attachment" and value:
                self.uploads[field.name] = value
            answers[field.name] = _answer_value(value)
        failed = set(self._errors)
        try:
            self.answers = clean_answers([f for f in self.catalog_fields if f.name not in failed],
                                         answers, user=self.user)
        except AnswersInvalid as exc:
            for name, messages in exc.errors.items():
                self.add_error(name if name in self.fields else None, messages)
        self.uploads = {name: upload for name, upload in self.uploads.items() if name in self.answers}
        return cleaned


def build_form(item, data=None, files=None, user=None, *, prefix=None, initial=None):
    """The Django form of the item's request form (labels and help in the active language).
    `item` may be unsaved (the editor's live preview builds one from the definition being edited)."""
    return CatalogRequestForm(data=data, files=files, prefix=prefix, initial=initial, fields=item_fields(item),
                              user=user)
