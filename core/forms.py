"""Forms every ticket type's desk page shares: the activity thread's comment form; and the
per-request copy of a form's fields written by hand (`fields_copied_by_hand`)."""

import copy

from django import forms
from django.forms.models import ModelChoiceField
from django.forms.widgets import ChoiceWidget
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.web import bootstrapify

INTERNAL = "internal"
PUBLIC = "public"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more uploaded files (validated again by core.attachments on save)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class DeskCommentForm(forms.Form):
    """A work note or a public reply, posted from a desk record page (templates/core/_comment_form.html).

    The work note is the default, also when a post names neither: a note meant for the desk must
    never reach a caller by accident, while a reply posted as a note can simply be posted again.
    """

    visibility = forms.ChoiceField(
        label=_("Post as"), choices=[(INTERNAL, _("Work note (internal)")), (PUBLIC, _("Public reply"))],
        initial=INTERNAL, required=False, widget=forms.RadioSelect)
    body = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, allow_files=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_files:
            del self.fields["files"]
        bootstrapify(self)

    @property
    def internal(self):
        return self.cleaned_data.get("visibility") != PUBLIC

    def selected(self):
        """The tab to show selected: what was posted (a refused post keeps its choice), else the note."""
        value = self["visibility"].value() if self.is_bound else None
        return PUBLIC if value == PUBLIC else INTERNAL


# Django's copy hooks of the fields and widgets below, each written out by _copy_field and
# _copy_widget; a class with any other hook is deep-copied by Django as before.
_FIELD_COPY = forms.Field.__deepcopy__
_CHOICE_COPY = forms.ChoiceField.__deepcopy__
_MODEL_CHOICE_COPY = ModelChoiceField.__deepcopy__
_WIDGET_COPY = forms.Widget.__deepcopy__
_CHOICE_WIDGET_COPY = ChoiceWidget.__deepcopy__
# What deepcopy shares rather than copies, and lazy labels (whose __deepcopy__ answers themselves).
_SHARED = (str, int, float, bool, type(None))


_PLAIN: dict = {}  # (class, whether its own __deepcopy__ is allowed) -> plain


def _plain(cls, *, own_deepcopy=False):
    """Whether copy.copy of an instance is object.__new__ and its __dict__ (no hook of its own;
    `own_deepcopy`: but for the class's own __deepcopy__, the field's or widget's, written out
    here)."""
    plain = _PLAIN.get((cls, own_deepcopy))
    if plain is None:
        plain = _PLAIN[cls, own_deepcopy] = (
            cls.__reduce_ex__ is object.__reduce_ex__ and cls.__reduce__ is object.__reduce__
            and getattr(cls, "__copy__", None) is None
            and (own_deepcopy or getattr(cls, "__deepcopy__", None) is None)
            and cls.__getstate__ is object.__getstate__ and getattr(cls, "__setstate__", None) is None
            and cls.__new__ is object.__new__ and not hasattr(cls, "__slots__"))
    return plain


def _shallow(obj):
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


def _copy_widget(widget, memo):
    """Widget.__deepcopy__ or ChoiceWidget.__deepcopy__, as Django writes them."""
    if id(widget) in memo:
        return memo[id(widget)]
    cls = type(widget)
    hook = cls.__deepcopy__
    if hook is not _WIDGET_COPY and hook is not _CHOICE_WIDGET_COPY or not _plain(cls, own_deepcopy=True):
        return copy.deepcopy(widget, memo)
    obj = _shallow(widget)
    obj.attrs = widget.attrs.copy()
    if hook is _CHOICE_WIDGET_COPY:
        choices = widget.choices
        obj.choices = (choices.copy() if type(choices) is list
                       else _shallow(choices) if _plain(type(choices)) else copy.copy(choices))
    memo[id(widget)] = obj
    return obj


def _flat(choice):
    return type(choice) is tuple and all(type(part) in _SHARED or isinstance(part, Promise)
                                         for part in choice)


def _copy_choices(choices, memo):
    """deepcopy of a field's choices: a new list of the same (value, label) tuples when they hold
    only strings, numbers and lazy labels (deepcopy gives exactly that); an iterator over them
    (django-filter's ChoiceIterator: the field and the list) made the same way, attribute by
    attribute; anything else by deepcopy."""
    if id(choices) in memo:
        return memo[id(choices)]
    if type(choices) is list:
        return choices.copy() if all(map(_flat, choices)) else copy.deepcopy(choices, memo)
    if not _plain(type(choices)):
        return copy.deepcopy(choices, memo)
    new = object.__new__(type(choices))
    memo[id(choices)] = new
    for name, value in choices.__dict__.items():
        if id(value) in memo:
            value = memo[id(value)]
        elif type(value) is list:
            value = _copy_choices(value, memo)
        elif not (type(value) in _SHARED or isinstance(value, Promise)):
            value = copy.deepcopy(value, memo)
        new.__dict__[name] = value
    return new


def _copy_field(field, memo):
    """Field.__deepcopy__, ChoiceField.__deepcopy__ or ModelChoiceField.__deepcopy__, as Django
    writes them, without deepcopy's generic dispatch and reconstruction per object."""
    if id(field) in memo:
        return memo[id(field)]
    cls = type(field)
    hook = cls.__deepcopy__
    if hook is not _FIELD_COPY and hook is not _CHOICE_COPY and hook is not _MODEL_CHOICE_COPY \
            or not _plain(cls, own_deepcopy=True):
        return copy.deepcopy(field, memo)
    result = _shallow(field)
    memo[id(field)] = result
    result.widget = _copy_widget(field.widget, memo)
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    if hook is _CHOICE_COPY:
        result._choices = _copy_choices(field._choices, memo)
    elif hook is _MODEL_CHOICE_COPY and field.queryset is not None:
        result.queryset = field.queryset.all()  # a new ModelChoiceIterator too (Django's bug #11183)
    return result


class _FieldsCopiedByHand(dict):
    """A form class's `base_fields`, whose deep copy (every form makes one on construction) copies
    each field by _copy_field. Django's generic deepcopy of the desk queue's filter form (28
    fields) and bulk form was ~8,700 Python lines a page (issue 12, ninth round)."""

    def __deepcopy__(self, memo):
        return {name: _copy_field(field, memo) for name, field in self.items()}


def fields_copied_by_hand(form_class):
    """Class decorator (or call): `form_class`'s forms copy their fields by _copy_field. A form
    still gets fields and widgets of its own, as with Django's copy."""
    if type(form_class.base_fields) is not _FieldsCopiedByHand:
        form_class.base_fields = _FieldsCopiedByHand(form_class.base_fields)
    return form_class


# The comment form of every record page.
fields_copied_by_hand(DeskCommentForm)
