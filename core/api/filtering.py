"""The filter backend of API v1."""

import copy
import functools

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django_filters import fields, filters, utils
from django_filters.rest_framework import DjangoFilterBackend


@functools.lru_cache(maxsize=256)
def _narrowed(filterset_class, names):
    """`filterset_class` with the filters `names` alone (in its order), made once per process
    for each set of names asked for."""
    narrowed = type(filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__})
    narrowed.base_filters = {name: f for name, f in filterset_class.base_filters.items() if name in names}
    return narrowed


def named_filters(filterset_class, params):
    """The names of the filters of `filterset_class` that the query's `params` name (see
    FilterBackend)."""
    params = list(params)
    return frozenset(name for name in filterset_class.base_filters
                     if any(param.startswith(name) for param in params))


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, with a filter set of the filters the request names alone.

    Building a filter set deep-copies every filter and builds and validates a form field for
    each: ~15 % of an unfiltered API list's CPU (issue 12, third round), half of a filtered one's
    (the incidents' 27 filters for the 2 a request names: fifth round). A filter the request
    does not name filters nothing and refuses nothing (a filter only acts on a value it was
    sent), so the answer is the same: without any named, no filter set at all. A parameter
    names a filter when it starts with the filter's name, for filters that read several
    (`created_after` and `created_before` of `created`).
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        names = named_filters(filterset_class, request.query_params)
        if not names:
            return queryset
        # Narrowed here only: the schema (drf-spectacular) reads get_filterset_class's every filter.
        filterset = _narrowed(filterset_class, names)(**self.get_filterset_kwargs(request, queryset, view))
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs


# What a filter's value stands in for when a list's statement is written (core.paging.WrittenIds):
# a value no request sends, of the parameter's type (a column's integer, within the column's
# range, which the ORM checks; or text), never a row's. A row's id stands at _STAND_IN_ID - n.
_STAND_IN_ID = -737_373_800


def _stand_in(model_field, n):
    if isinstance(model_field, (models.IntegerField, models.AutoField)):
        _low, high = connection.ops.integer_field_range(model_field.get_internal_type())
        return (2**31 - 1 if high is None else high) - 101 - n
    if isinstance(model_field, (models.CharField, models.TextField)):
        return f"\x1fstand-in {n}\x1f"
    return None


def _exact_column(filterset_class, flt):
    """The model's field a filter compares its value with (exact, one column), or None."""
    if flt.lookup_expr != "exact" or not flt.field_name or "__" in flt.field_name:
        return None
    try:
        return filterset_class._meta.model._meta.get_field(flt.field_name)
    except Exception:  # noqa: BLE001 - a filter on something else than a field: not written
        return None


_KINDS = {}  # (filterset class, filter name) -> (kind, filter, form field, model field) or None


def _kind(filterset_class, name):
    key = (filterset_class, name)
    found = _KINDS.get(key, False)
    if found is False:
        found = _KINDS[key] = _classify(filterset_class, filterset_class.base_filters[name])
    return found


def _classify(filterset_class, base):
    """How a filter's value is read and checked here: "many" (a MultipleChoiceFilter on a column:
    its form field's clean, no database), "one" (a ModelChoiceFilter by primary key: the row's
    existence is a check of the statement) or "flag" (a BooleanFilter); None for any other."""
    if base.method is not None:
        return None
    flt = copy.deepcopy(base)  # its form field built here, not on the class's filter
    column = _exact_column(filterset_class, flt)
    if column is None:
        return None
    kind = type(flt)
    if kind is filters.MultipleChoiceFilter and type(flt.field) is fields.MultipleChoiceField \
            and not column.is_relation and _stand_in(column, 0) is not None:
        return "many", flt, flt.field, column
    if kind is filters.ModelChoiceFilter and not callable(flt.queryset) and column.many_to_one \
            and type(flt.field) is fields.ModelChoiceField and flt.field.null_label is None \
            and flt.field.to_field_name is None:
        pk = flt.field.queryset.model._meta.pk
        if column.target_field is pk and isinstance(pk, (models.IntegerField, models.AutoField)):
            return "one", flt, flt.field, column
    if kind is filters.BooleanFilter and type(flt.field) is forms.NullBooleanField:
        return "flag", flt, flt.field, column
    return None


def _prepared(column, value):
    """The parameter the ORM's exact lookup on `column` sends for `value`."""
    return column.get_db_prep_value(column.get_prep_value(value), connection, prepared=True)


class WrittenFilters:
    """The request's values of simple filters of a filter set, checked as its form checks them,
    for a statement written once per shape (core.paging.WrittenIds' template, values and checks).

    `shape` is what the SQL depends on: each filter's name and how many values it has (or, for
    a yes/no filter, its value, which the ORM writes into the SQL). Nothing here answers a
    request: any value the form would refuse, or that is not plainly one of these, makes
    `written_filters` answer None and the list goes the filter set's way (its messages)."""

    def __init__(self, shape, applied, values, checks):
        self.shape, self._applied, self.values, self._checks = shape, applied, values, checks

    def apply(self, queryset):
        """FilterSet.qs for the stand-in values: each filter's own filter(), in the set's order."""
        queryset = queryset.all()
        for flt, value in self._applied():
            queryset = flt.filter(queryset, value)
        return queryset

    def checks(self):
        return self._checks()


def written_filters(filterset_class, params, names):
    """WrittenFilters for the filters `names` (those the request names) of `filterset_class`,
    from `params` (the query's), or None where the filter set must answer."""
    shape, plan, values, checks = [], [], {}, []
    for name in filterset_class.base_filters:
        if name not in names:
            continue
        found = _kind(filterset_class, name)
        if found is None:
            return None
        kind, flt, field, column = found
        raw = field.widget.value_from_datadict(params, {}, name)
        if kind == "many":
            try:
                cleaned = field.clean(raw)
            except ValidationError:
                return None
            distinct = sorted(set(cleaned))
            if flt.null_value in distinct:
                return None
            stand_ins = [_stand_in(column, len(values) + n) for n in range(len(distinct))]
            values.update(zip(stand_ins, (_prepared(column, value) for value in distinct)))
            shape.append((name, len(distinct)))
            plan.append((flt, stand_ins))
        elif kind == "one":
            if raw in field.empty_values:
                shape.append((name, None))
                plan.append((flt, None))  # cleaned to None: the filter filters nothing
                continue
            if type(raw) is not str or not raw.isascii() or not raw.isdigit() or len(raw) > 18:
                return None
            pk = field.queryset.model._meta.pk
            value = pk.get_prep_value(raw)
            low, high = connection.ops.integer_field_range(pk.get_internal_type())
            if (low is not None and value < low) or (high is not None and value > high):
                return None
            stand_in = _STAND_IN_ID - len(values)
            values[stand_in] = _prepared(column, value)
            shape.append((name, 1))
            plan.append((flt, field.queryset.model(pk=stand_in)))
            checks.append((field.queryset, stand_in))
        else:
            cleaned = field.clean(raw)
            shape.append((name, cleaned))
            plan.append((flt, cleaned))

    def applied():
        return plan

    def existing():
        return [queryset.order_by().filter(pk=stand_in).values("pk") for queryset, stand_in in checks]
    return WrittenFilters(tuple(shape), applied, values, existing)
