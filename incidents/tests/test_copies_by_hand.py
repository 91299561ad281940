"""The per-request copies written by hand (issue 12, ninth round): a filter set's filters
(core.filters._copy_filter) and a form's fields (core.forms.fields_copied_by_hand) come out as
Python's deepcopy makes them, object for object: what deepcopy shares is shared, what it copies is
a new object of the same kind holding the same values."""

import copy

import pytest
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet

from core.filters import _copy_filter
from core.forms import DeskCommentForm, _FieldsCopiedByHand
from incidents.filtersets import IncidentFilterSet
from incidents.forms import BulkUpdateForm, IncidentForm, IncidentTransitionForm

pytestmark = pytest.mark.django_db

_SCALARS = (str, int, float, bool, type(None), bytes)


def _sql(queryset):
    try:
        return str(queryset.query)
    except EmptyResultSet:
        return "nothing"


def _same_shape(original, by_deepcopy, by_hand, path, seen):
    """by_hand is to `original` what by_deepcopy is: the same object where deepcopy shares it, a
    new object of the same type with the same contents where deepcopy copies it."""
    if by_deepcopy is original:
        assert by_hand is original, f"{path}: deepcopy shares it, the copy by hand does not"
        return
    assert by_hand is not original, f"{path}: deepcopy copies it, the copy by hand shares it"
    assert type(by_hand) is type(by_deepcopy), path
    if isinstance(original, _SCALARS):
        assert by_hand == by_deepcopy, path
        return
    if id(original) in seen:
        return
    seen.add(id(original))
    if isinstance(original, QuerySet):
        assert _sql(by_hand) == _sql(by_deepcopy), path
        assert by_hand._result_cache is None and by_deepcopy._result_cache is None, path
        return
    if isinstance(original, (list, tuple)):
        assert len(by_hand) == len(by_deepcopy) == len(original), path
        for n, parts in enumerate(zip(original, by_deepcopy, by_hand)):
            _same_shape(*parts, f"{path}[{n}]", seen)
        return
    if isinstance(original, dict):
        assert list(by_hand) == list(by_deepcopy) == list(original), path
        for key in original:
            _same_shape(original[key], by_deepcopy[key], by_hand[key], f"{path}[{key!r}]", seen)
        return
    if hasattr(original, "__dict__"):
        assert list(vars(by_hand)) == list(vars(by_deepcopy)), path
        for name, value in vars(original).items():
            copied, hand = vars(by_deepcopy)[name], vars(by_hand)[name]
            if name in ("f", "field", "parent") and not isinstance(value, _SCALARS):
                # A back reference: to the copy itself (or the original), the same in both.
                assert (copied is value) == (hand is value), f"{path}.{name}"
                continue
            _same_shape(value, copied, hand, f"{path}.{name}", seen)


def _form_classes():
    return {"filter form": type(IncidentFilterSet({}).form), "bulk form": BulkUpdateForm,
            "record form": IncidentForm, "transition form": IncidentTransitionForm,
            "comment form": DeskCommentForm}


@pytest.mark.parametrize("name", ["filter form", "bulk form", "record form", "transition form",
                                  "comment form"])
def test_a_form_s_fields_copied_by_hand_are_what_deepcopy_makes(name):
    form_class = _form_classes()[name]
    base = form_class.base_fields
    # One memo for every field, as BaseForm's copy of the whole dict has.
    by_deepcopy = copy.deepcopy(dict(base))
    by_hand = _FieldsCopiedByHand(base).__deepcopy__({})
    assert type(by_hand) is dict
    for field_name, field in base.items():
        _same_shape(field, by_deepcopy[field_name], by_hand[field_name], f"{name}.{field_name}", set())
        assert by_hand[field_name].widget is not field.widget
        assert by_hand[field_name].widget.attrs is not field.widget.attrs


def test_the_desk_forms_copy_their_fields_by_hand():
    assert type(type(IncidentFilterSet({}).form).base_fields) is _FieldsCopiedByHand
    for form_class in (BulkUpdateForm, IncidentForm, IncidentTransitionForm, DeskCommentForm):
        assert type(form_class.base_fields) is _FieldsCopiedByHand, form_class


def test_a_filter_copied_by_hand_is_what_deepcopy_makes():
    for name, filter_ in IncidentFilterSet.base_filters.items():
        by_deepcopy, by_hand = copy.deepcopy(filter_, {}), _copy_filter(filter_, {})
        _same_shape(filter_, by_deepcopy, by_hand, name, set())
        if "filter" in vars(filter_):  # a method filter: its FilterMethod calls the copy
            assert by_hand.filter.f is by_hand and by_deepcopy.filter.f is by_deepcopy


def test_a_form_s_choices_are_its_own_after_a_copy_by_hand():
    first, second = BulkUpdateForm(), BulkUpdateForm()
    first.fields["state"].choices = [("x", "X")]
    assert [value for value, _label in second.fields["state"].choices] == ["", "in_progress", "cancelled"]
    offered = [value for value, _label in BulkUpdateForm().fields["state"].choices]
    assert offered == ["", "in_progress", "cancelled"]
