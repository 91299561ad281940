"""A list of ids that is a native array on PostgreSQL and JSON text on the embedded SQLite.

PostgreSQL keeps `bigint[]` (GIN-indexable, read back as a list by the set-based conflict
queries); every other backend stores the same list as a JSON array in a text column, so the
embedded default database migrates and runs. The lookups `exact`, `contains`, `overlap`,
`contained_by` and `len` work on both (on SQLite through JSON1's `json_each`); index and
slice transforms are PostgreSQL's only.
"""

import json

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.fields.array import (
    ArrayContainedBy,
    ArrayContains,
    ArrayExact,
    ArrayLenTransform,
    ArrayOverlap,
)
from django.db import NotSupportedError


def _native(connection):
    return connection.vendor == "postgresql"


class IdArrayField(ArrayField):
    """`ArrayField(BigIntegerField())` on PostgreSQL, a JSON list of integers elsewhere."""

    def db_type(self, connection):
        return super().db_type(connection) if _native(connection) else "text"

    def cast_db_type(self, connection):
        return super().cast_db_type(connection) if _native(connection) else "text"

    def get_placeholder(self, value, compiler, connection):
        return super().get_placeholder(value, compiler, connection) if _native(connection) else "%s"

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        if _native(connection) or value is None or not isinstance(value, (list, tuple)):
            return value
        return json.dumps([int(item) for item in value])

    def from_db_value(self, value, expression, connection):
        if isinstance(value, str):
            return [int(item) for item in json.loads(value or "[]")]
        return value


class _PortableIds:
    """An array lookup that keeps its list of ids to answer with JSON1 on SQLite."""

    def __init__(self, lhs, rhs):
        self.ids = [int(i) for i in rhs] if isinstance(rhs, (list, tuple)) else None
        super().__init__(lhs, rhs)

    def as_sqlite(self, compiler, connection):
        if self.ids is None:
            raise NotSupportedError(f"{self.lookup_name} on an id list takes a list of ids on this database")
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return self.sqlite(lhs, list(lhs_params))

    @staticmethod
    def _in(ids):
        return ", ".join(["%s"] * len(ids))


@IdArrayField.register_lookup
class IdArrayContains(_PortableIds, ArrayContains):
    """Every id is in the list (PostgreSQL `@>`, GIN-indexed)."""

    def sqlite(self, lhs, params):
        if not self.ids:
            return "1 = 1", []
        clause = f"EXISTS (SELECT 1 FROM json_each({lhs}) AS j WHERE j.value = %s)"
        return "(" + " AND ".join([clause] * len(self.ids)) + ")", [p for i in self.ids for p in (*params, i)]


@IdArrayField.register_lookup
class IdArrayOverlap(_PortableIds, ArrayOverlap):
    """Some id is in the list (PostgreSQL `&&`)."""

    def sqlite(self, lhs, params):
        if not self.ids:
            return "1 = 0", []
        return (f"EXISTS (SELECT 1 FROM json_each({lhs}) AS j WHERE j.value IN ({self._in(self.ids)}))",
                [*params, *self.ids])


@IdArrayField.register_lookup
class IdArrayContainedBy(_PortableIds, ArrayContainedBy):
    """Every element of the list is one of the ids (PostgreSQL `<@`)."""

    def sqlite(self, lhs, params):
        if not self.ids:
            return f"NOT EXISTS (SELECT 1 FROM json_each({lhs}))", params
        return (f"NOT EXISTS (SELECT 1 FROM json_each({lhs}) AS j WHERE j.value NOT IN ({self._in(self.ids)}))",
                [*params, *self.ids])


@IdArrayField.register_lookup
class IdArrayExact(_PortableIds, ArrayExact):
    """The same ids in the same order (the stored JSON text is canonical)."""

    def sqlite(self, lhs, params):
        return f"{lhs} = %s", [*params, json.dumps(self.ids)]


@IdArrayField.register_lookup
class IdArrayLen(ArrayLenTransform):
    def as_sqlite(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        return f"json_array_length({lhs})", params
