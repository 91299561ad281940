"""Filters the desk lists share: a date bound with a date picker, and a yes/no filter whose
empty choice reads "Any" (django's NullBooleanSelect says "Unknown", which reads like a value)."""

import copy
import datetime as dt
import types
from collections import OrderedDict

import django_filters
from django_filters.filters import FilterMethod
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.forms import fields_copied_by_hand


class AnyYesNoSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", _("Any")), ("true", _("Yes")), ("false", _("No")))


class YesNoFilter(django_filters.BooleanFilter):
    """A boolean filter: "Any" (no filter), Yes or No; the API's true/false keep working."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AnyYesNoSelect)
        super().__init__(*args, **kwargs)


class DateOrDateTimeField(forms.Field):
    """A date from the picker (YYYY-MM-DD), or an ISO date-time as API clients send it.

    A bare date is a day in the current time zone: as a lower bound it starts at that day's
    midnight; as an upper bound (`end_of_day`) it ends at the next midnight, so "to 1 December"
    includes 1 December.
    """

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {"invalid": _("Enter a date (YYYY-MM-DD).")}

    def __init__(self, *args, end_of_day=False, **kwargs):
        self.end_of_day = end_of_day
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        instant = None
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is not None:
            if self.end_of_day:
                day += dt.timedelta(days=1)
            instant = timezone.make_aware(dt.datetime.combine(day, dt.time()))
        else:
            try:
                instant = parse_datetime(value.replace(" ", "+") if "T" in value else value)
            except ValueError:
                instant = None
            if instant is not None and timezone.is_naive(instant):
                instant = timezone.make_aware(instant)
        if instant is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return instant


class DateBoundFilter(django_filters.Filter):
    """created_at ≥ a day (`lookup_expr="gte"`) or < the end of a day (`"lt"`), with a date picker."""

    field_class = DateOrDateTimeField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra.setdefault("end_of_day", self.lookup_expr in ("lt", "lte"))


# What deepcopy itself shares rather than copies (copy._deepcopy_atomic), and lazy labels (their
# own __deepcopy__ answers themselves).
_ATOMIC = (str, int, float, bool, bytes, type(None), type, types.FunctionType, types.BuiltinFunctionType)


def _copy_filter(filter_, memo):
    """What `copy.deepcopy(filter_, memo)` gives, written for django-filter's filters: their
    attributes copied one by one, the `extra` dict given to the form field copied key by key, and a
    method filter's FilterMethod made anew for the copy (as the `method` setter makes it). Any
    other value is deep-copied as before; what deepcopy shares (strings, numbers, classes, lazy
    labels) is shared. Generic deepcopy of the incidents' 28 filters was ~690 calls and ~9,800
    Python lines on every desk queue page (issue 12, ninth round)."""
    new = object.__new__(type(filter_))
    memo[id(filter_)] = new
    state = {}
    for name, value in filter_.__dict__.items():
        if type(value) in _ATOMIC or isinstance(value, Promise):
            pass
        elif name == "extra" and type(value) is dict:
            value = {key: item if type(item) in _ATOMIC or isinstance(item, (type, Promise))
                     else memo[id(item)] if id(item) in memo else copy.deepcopy(item, memo)
                     for key, item in value.items()}
        elif type(value) is FilterMethod and value.f is filter_:
            value = FilterMethod(new)
        elif id(value) in memo:
            value = memo[id(value)]
        elif not isinstance(value, type):
            value = copy.deepcopy(value, memo)
        state[name] = value
    new.__dict__.update(state)
    return new


_COPYABLE: dict = {}


def _copyable(filter_):
    """Whether deepcopy would copy it as _copy_filter does: an object of a class without hooks of
    its own (deepcopy then makes it with object.__new__ and deep-copies its __dict__)."""
    cls = type(filter_)
    copyable = _COPYABLE.get(cls)
    if copyable is None:
        copyable = _COPYABLE[cls] = (
            getattr(cls, "__deepcopy__", None) is None and cls.__reduce_ex__ is object.__reduce_ex__
            and cls.__reduce__ is object.__reduce__ and cls.__getstate__ is object.__getstate__
            and getattr(cls, "__setstate__", None) is None and cls.__new__ is object.__new__
            and not hasattr(cls, "__slots__"))
    return copyable


class _SharedWhenCopied(OrderedDict):
    """A filter set's `base_filters` whose per-request deep copy (django-filter's FilterSet
    deep-copies every filter on construction) shares the querysets and choice lists the filters
    build their form fields from, and copies the rest as before (`_copy_filter`). A field clones
    its queryset (`ModelChoiceField.queryset` is set through `.all()`) and copies its choices into
    a list of its own, and no filter changes them in place, so one per process serves every request.
    Copying the incidents' nine querysets (their queries' where trees) and choice lists was most
    of a 2-4 ms deep copy on every desk queue page (issue 12, eighth round)."""

    def __deepcopy__(self, memo):
        for filter_ in self.values():
            for shared in (getattr(filter_, "queryset", None), filter_.extra.get("queryset"),
                           filter_.extra.get("choices")):
                if shared is not None:
                    memo[id(shared)] = shared  # deepcopy answers from the memo: the same object
        return OrderedDict((name, _copy_filter(filter_, memo) if _copyable(filter_)
                            else copy.deepcopy(filter_, memo)) for name, filter_ in self.items())


def share_when_copied(filterset_class):
    """Class decorator: `filterset_class`'s filters keep their querysets and choice lists shared
    between the copies each request makes (_SharedWhenCopied)."""
    filterset_class.base_filters = _SharedWhenCopied(filterset_class.base_filters)
    return filterset_class


class FormClassKept:
    """A FilterSet mixin: the filter form's class is built once per process and filter set class,
    not per request. django-filter builds it from a new form field per filter on every request
    (28 for the incidents), and the form then deep-copies them again as any Django form does, so
    each request still gets fields of its own. Only where no filter's queryset depends on the
    request (a callable): then every request would build the same class (issue 12, eighth round)."""

    _kept_form_classes: dict = {}

    def get_form_class(self):
        cls = type(self)
        form_class = FormClassKept._kept_form_classes.get(cls)
        if form_class is None:
            form_class = fields_copied_by_hand(super().get_form_class())
            if not any(callable(getattr(filter_, "queryset", None)) for filter_ in self.filters.values()):
                FormClassKept._kept_form_classes[cls] = form_class
        return form_class
