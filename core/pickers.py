"""One picker for "a person" or "a configuration item" on every desk form.

A picker is a text box (the chosen record's label, or what the user typed) plus a hidden input
(the chosen record's id). static/js/picker.js fills both from the lookup endpoint
(core.views.PickerLookupView); without a pick, or without JavaScript, the typed text is
resolved here: a full name, username or e-mail (people) or a name (CIs), case-insensitive,
matching exactly one record the form may offer.

Kinds are registered by the app that owns the model (core sits below cmdb, so the CMDB
registers "ci" in its AppConfig.ready()); core registers the people kinds.
"""

import re
from dataclasses import dataclass
from typing import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.web import parse_id

LOOKUP_LIMIT = 20
MAX_TEXT = 200


@dataclass(frozen=True)
class PickerKind:
    name: str
    # The records a form may offer to `user` (None: a desk form, which every desk user may fill).
    options: Callable
    # Fields compared case-insensitively with typed text: exactly (resolving) and partly (suggesting).
    fields: tuple
    label: Callable
    ambiguous: Promise
    unknown: Promise
    unavailable: Promise
    placeholder: Promise | str = ""
    detail: Callable = lambda obj: ""
    ordering: tuple = ("pk",)
    # A label may be typed back as is, e.g. "Kim Minji (minji@example.org)": (pattern, lookups).
    label_pattern: re.Pattern | None = None
    label_lookups: tuple = ()

    def exact(self, queryset, text):
        condition = Q()
        for name in self.fields:
            condition |= Q(**{f"{name}__iexact": text})
        if self.label_pattern and (parts := self.label_pattern.fullmatch(text)):
            pairs = zip(self.label_lookups, parts.groups())
            condition |= Q(**{f"{name}__iexact": part.strip() for name, part in pairs})
        return queryset.filter(condition)

    def search(self, queryset, text):
        condition = Q()
        for name in self.fields:
            condition |= Q(**{f"{name}__icontains": text})
        return queryset.filter(condition).order_by(*self.ordering)


_kinds: dict[str, PickerKind] = {}


def register(kind: PickerKind) -> None:
    _kinds[kind.name] = kind


def get(name: str) -> PickerKind:
    return _kinds[name]


def kinds() -> tuple[str, ...]:
    return tuple(_kinds)


def suggestions(kind: PickerKind, user, text):
    """Up to LOOKUP_LIMIT records `user` may pick whose fields contain `text` (one query)."""
    text = (text or "").strip()[:MAX_TEXT]
    if not text or "\x00" in text:
        return []
    return list(kind.search(kind.options(user), text)[:LOOKUP_LIMIT])


def resolve(kind: PickerKind, queryset, text, *, field_label=""):
    """The one record of `queryset` that `text` names exactly; a ValidationError says why not."""
    params = {"field": field_label, "text": text}
    if len(text) > MAX_TEXT or "\x00" in text:
        raise ValidationError(kind.unknown, code="unknown", params=params)
    found = list(kind.exact(queryset, text)[:2])
    if len(found) == 1:
        return found[0]
    if found or kind.search(queryset, text)[:2].count() > 1:
        raise ValidationError(kind.ambiguous, code="ambiguous", params=params)
    raise ValidationError(kind.unknown, code="unknown", params=params)


class PickerInput(forms.Widget):
    """The text box, the hidden id and the suggestion list (filled by static/js/picker.js)."""

    template_name = "core/widgets/picker.html"

    def __init__(self, kind, attrs=None):
        super().__init__(attrs)
        self.kind = kind
        self.attrs.setdefault("placeholder", get(kind).placeholder)

    def text_name(self, name):
        return f"{name}_text"

    def id_for_label(self, id_):
        return f"{id_}_text" if id_ else id_

    def value_from_datadict(self, data, files, name):
        # No text box posted (a client sending the id alone): None tells the field to use the id.
        return (data.get(name, ""), data.get(self.text_name(name)))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and self.text_name(name) not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ident, text = value if isinstance(value, tuple) else ("", "")
        widget = context["widget"]
        base_id = widget["attrs"].get("id") or f"id_{name}"
        widget["attrs"].update({"id": self.id_for_label(base_id), "autocomplete": "off"})
        widget.update({
            "text_name": self.text_name(name), "text": text or "", "ident": "" if ident is None else ident,
            "hidden_id": base_id, "listbox_id": f"{base_id}_listbox",
            "url": reverse("core:picker_lookup", args=[self.kind]),
        })
        return context


class PickerField(forms.ModelChoiceField):
    """A record of one picker kind, chosen by id or typed by name (see the module docstring)."""

    widget = PickerInput

    def __init__(self, kind, *, queryset=None, user=None, current=None, **kwargs):
        self.kind = get(kind)
        # The record's present value stays acceptable even if it could no longer be picked (a
        # caller who has left): saving a ticket's other fields must not fail over it.
        self.current = current
        kwargs.setdefault("widget", PickerInput(kind))
        kwargs.setdefault("empty_label", None)
        super().__init__(self.kind.options(user) if queryset is None else queryset, **kwargs)

    def label_of(self, obj):
        return self.kind.label(obj)

    def prepare_value(self, value):
        """(id, text) for the widget: what was posted, or the record's id and label."""
        if isinstance(value, tuple):
            return value
        if isinstance(value, Model):
            return (value.pk, self.label_of(value))
        pk = parse_id(value)
        if pk is None:
            return ("", "")
        obj = self.queryset.model._default_manager.filter(pk=pk).first()
        return (pk, self.label_of(obj)) if obj else ("", "")

    def to_python(self, value):
        ident, text = value if isinstance(value, tuple) else (value, None)
        ident = str(ident or "").strip()
        if text is None and ident and parse_id(ident) is None:
            text = ident  # a name sent where the id goes (a client without the text box)
        text = (text or "").strip()
        pk = parse_id(ident)
        if pk is not None:
            current = self.current if self.current is not None and self.current.pk == pk else None
            obj = current or self.queryset.filter(pk=pk).first()
            # The script clears the id when the text is edited; without it, the text wins.
            if obj is not None and (not text or text.casefold() == self.label_of(obj).casefold()):
                return obj
            if obj is None and not text:
                raise ValidationError(self.kind.unavailable, code="invalid_choice",
                                      params={"field": self.label, "text": ident})
        if not text:
            return None
        return resolve(self.kind, self.queryset, text, field_label=self.label)

    def has_changed(self, initial, data):
        before = self.prepare_value(initial)[0] if initial not in (None, "") else ""
        ident, text = data if isinstance(data, tuple) else (data, None)
        return str(before or "") != str(ident or "") or bool(text and not ident)


def use_picker(form, name, kind, **kwargs):
    """Replace a ModelForm's foreign-key field `name` by a picker of `kind`, keeping its label and
    help text; an edited record shows its current value by label (no extra query if the relation
    is already loaded)."""
    old = form.fields[name]
    kwargs.setdefault("label", old.label)
    kwargs.setdefault("required", old.required)
    kwargs.setdefault("help_text", old.help_text)
    instance = getattr(form, "instance", None)
    if instance is not None and instance.pk:
        kwargs.setdefault("current", getattr(instance, name))
    field = PickerField(kind, **kwargs)
    form.fields[name] = field
    if field.current is not None:
        form.initial[name] = field.current
    return field


class PickerListInput(forms.TextInput):
    """A text box of comma-separated names of `kind`: each pick from the suggestions appends one
    (the field that reads the text resolves the names)."""

    template_name = "core/widgets/picker_list.html"

    def __init__(self, kind, attrs=None):
        super().__init__(attrs)
        self.kind = kind

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update({
            "data-picker-url": reverse("core:picker_lookup", args=[self.kind]), "data-picker-multiple": "true",
            "autocomplete": "off", "role": "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
        })
        return context


# --- the people kinds (accounts sit below core) -------------------------------------------------

def _people(user=None):
    """Active people; an end user (a portal form naming someone) may name only themselves and
    the colleagues of their organisation, never browse the whole directory."""
    from accounts import roles
    from accounts.models import User

    people = User.objects.filter(is_active=True)
    if user is None or roles.is_agent(user):
        return people
    if not getattr(user, "is_authenticated", False):
        return people.none()
    colleagues = Q(pk=user.pk)
    if user.organisation_id:
        colleagues |= Q(organisation_id=user.organisation_id)
    return people.filter(colleagues)


def _agents(user=None):
    from accounts import roles

    return _people(user).filter(groups__name__in=list(roles.DESK_ROLES)).distinct()


def person_label(user):
    name = user.display_name or user.get_full_name() or user.username
    return f"{name} ({user.email})" if user.email else name


PEOPLE = dict(
    fields=("display_name", "username", "email"), label=person_label, detail=lambda user: user.username,
    placeholder=_("Type a name or e-mail"),
    ordering=("display_name", "username"),
    label_pattern=re.compile(r"(.+)\(([^()]+)\)"), label_lookups=("display_name", "email"),
    ambiguous=_("%(field)s: several people match “%(text)s”. Pick one from the list."),
    unknown=_("%(field)s: no person matches “%(text)s”. Type a full name, username or e-mail, "
              "or pick one from the list."),
    unavailable=_("%(field)s: this person cannot be chosen here. Pick one from the list."),
)

register(PickerKind(name="person", options=_people, **PEOPLE))
register(PickerKind(name="agent", options=_agents, **PEOPLE))
