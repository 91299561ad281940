"""A choice field's options from this process's memory (core.memo's REFERENCE generation).

The desk's queue and record pages offer the same lists on every request (teams, agents,
categories, business services): one query each, plus the ORM's work to build the rows, six of a
queue page's statements (issue 12, third round). The rows are kept per process under a name and
reloaded when a watched table changes (see the apps' ready(): `memo.watch(..., key=memo.REFERENCE)`);
a field's queryset stays what it was, so a submitted value is still validated against the
database. The labels are worked out per request (`label_from_instance`), as before.

The queryset given a name must not depend on the request (no user, no clock): every request of
the process shares the rows. Only read tables watched under REFERENCE.
"""

from core import memo


class _Rows:
    """Stands in for the field's queryset inside its choice iterator (Django's and
    django-filter's alike read `_prefetch_related_lookups`, `iterator()`, `count()`, `exists()`)."""

    _prefetch_related_lookups = ()

    def __init__(self, name, queryset):
        self._name = name
        self._queryset = queryset

    def _rows(self):
        return memo.memoised(f"choices:{self._name}", lambda: list(self._queryset), key=memo.REFERENCE)

    def iterator(self):
        return iter(self._rows())

    def __iter__(self):
        return self.iterator()

    def count(self):
        return len(self._rows())

    def exists(self):
        return bool(self._rows())


_iterators: dict = {}


def _iterator_class(base):
    cls = _iterators.get(base)
    if cls is None:
        def __init__(self, field):
            base.__init__(self, field)
            self.queryset = _Rows(field.memo_choices_name, field.queryset)

        cls = _iterators[base] = type(f"Memoised{base.__name__}", (base,), {"__init__": __init__})
    return cls


def memoise(field, name):
    """Offer `field`'s (a ModelChoiceField's) choices from the rows kept under `name`."""
    field.memo_choices_name = name
    field.iterator = _iterator_class(type(field).iterator)
    field.widget.choices = field.choices
    return field
