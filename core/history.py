"""How audit rows read on a timeline: a field's label and its values in words.

Audit rows keep field names and raw values (core.audit); a timeline shows the field's verbose
name, choice labels, related records by name, Yes/No, dates in the reader's time zone. Rows
about something that is not a model field (a change's approvals, a release's deployments, SLA
events) are declared here by the app that writes them, from its AppConfig.ready(), so core
imports no app:

    history.register("deployment", model=Release, label=_("deployment"), display=deployment_text)

`display(raw, entry)` returns the text for one raw value; with `sentence=True` the row reads as
one line ("Approval: Approved (stage Change manager)") instead of "old → new".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

EMPTY = "—"


@dataclass(frozen=True)
class HistoryField:
    label: Any
    display: Callable[[Any, Any], str] | None = None
    sentence: bool = False
    body: Callable[[Any, Any], str] | None = None  # (entry, model) → the item's text from the row's context


_exact: dict[tuple[str, str], HistoryField] = {}
_prefixed: list[tuple[str, str, HistoryField]] = []


def _model_key(model) -> str:
    return model._meta.label_lower if model is not None else "*"


def register(field: str, *, label, display=None, model=None, sentence=False, prefix=False, body=None):
    """Declare how rows about `field` read (on `model`, or on every model when None).

    With `prefix=True`, `field` is a prefix ("attributes.") and `label` may be a callable
    taking the rest of the name. `body(entry, model)` words the row's context as the item's text."""
    spec = HistoryField(label, display, sentence, body)
    if prefix:
        _prefixed.append((_model_key(model), field, spec))
    else:
        _exact[(_model_key(model), field)] = spec


_context: dict[str, Callable[[Any, Any], str]] = {}


def register_context(key: str, describe):
    """Declare how a raw fact an app keeps in audit rows' context reads as the item's text."""
    _context[key] = describe


def context_text(model, entry) -> str:
    """The text a timeline item shows under its heading: the reason or message written with the
    change, else the declared facts of its context in words."""
    context = entry.context or {}
    spec, _rest = declared(model, entry.field)
    if spec is not None and spec.body is not None:
        return spec.body(entry, model)
    text = context.get("reason", "") or context.get("message", "")
    if text:
        return text
    return "\n".join(describe(context[key], entry) for key, describe in _context.items() if key in context)


def declared(model, field: str):
    """(HistoryField, the rest of a prefixed name) or (None, "")."""
    for key in (_model_key(model), "*"):
        if (key, field) in _exact:
            return _exact[(key, field)], ""
    for key, prefix, spec in _prefixed:
        if key in (_model_key(model), "*") and field.startswith(prefix):
            return spec, field[len(prefix):]
    return None, ""


def model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def humanise(key) -> str:
    """A readable name for a key nobody declared: "customer_facing" → "Customer facing"."""
    return capfirst(str(key).replace("_", " ").replace(".", " · ").strip())


def yes_no(value) -> str:
    return _("Yes") if value else _("No")


def plain(raw) -> str:
    """Any JSON value in words: lists joined, dicts as "key: value" lines, booleans Yes/No."""
    if raw is None or raw == "" or raw == [] or raw == {}:
        return EMPTY
    if isinstance(raw, bool):
        return yes_no(raw)
    if isinstance(raw, list):
        return ", ".join(plain(value) for value in raw)
    if isinstance(raw, dict):
        return "\n".join(f"{humanise(key)}: {plain(value)}" for key, value in raw.items())
    if isinstance(raw, str) and "T" in raw:
        instant = _instant(raw)
        if instant is not None:
            return date_format(timezone.localtime(instant) if timezone.is_aware(instant) else instant, "Y-m-d H:i")
    return str(raw)


def _instant(raw):
    try:
        return parse_datetime(raw)
    except ValueError:  # shaped like an instant but not one (month 13): show the text
        return None


def label(model, field: str) -> str:
    spec, rest = declared(model, field)
    if spec is not None:
        return str(spec.label(rest) if callable(spec.label) else spec.label)
    found = model_field(model, field)
    if found is None:
        return humanise(field)
    if not hasattr(found, "verbose_name"):  # a reverse relation: name it after its model
        return str(found.related_model._meta.verbose_name_plural)
    return str(found.verbose_name)


def display(model, entry, raw, related_names) -> str:
    """One raw value of an audit row in words."""
    spec, _rest = declared(model, entry.field)
    if spec is not None and spec.display is not None:
        return EMPTY if raw is None or raw == "" else spec.display(raw, entry)
    found = model_field(model, entry.field)
    if raw is None or raw == "" or raw == []:
        return EMPTY
    if found is None:
        return plain(raw)
    if getattr(found, "choices", None):
        choices = dict(found.flatchoices)
        if isinstance(raw, list):
            return ", ".join(str(choices.get(value, value)) for value in raw)
        return str(choices.get(raw, raw))
    if found.is_relation and found.related_model is not None:
        values = raw if isinstance(raw, list) else [raw]
        return ", ".join(related_names.get((found.related_model, value), f"#{value}") for value in values)
    if isinstance(found, models.BooleanField) or isinstance(raw, bool):
        return yes_no(raw)
    if isinstance(found, models.DateTimeField) and isinstance(raw, str):
        instant = _instant(raw)
        if instant is not None:
            return date_format(timezone.localtime(instant), "Y-m-d H:i")
    if isinstance(found, models.DateField) and isinstance(raw, str):
        try:
            day = parse_date(raw)
        except ValueError:
            day = None
        if day is not None:
            return date_format(day, "Y-m-d")
    return plain(raw)


def is_sentence(model, field: str) -> bool:
    spec, _rest = declared(model, field)
    return bool(spec and spec.sentence)


def related_field(model, field: str):
    """The relation a row's raw ids point into, or None (declared pseudo-fields have none)."""
    spec, _rest = declared(model, field)
    if spec is not None:
        return None
    found = model_field(model, field)
    if found is None or not found.is_relation or found.related_model is None:
        return None
    return found
