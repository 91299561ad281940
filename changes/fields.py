"""A list of ids that is a native array on PostgreSQL and JSON text on the embedded SQLite.

PostgreSQL keeps `bigint[]` (GIN-indexable, read back as a list by the set-based conflict
queries); every other backend stores the same list as a JSON array in a text column, so the
embedded default database migrates and runs. `__contains` works on both (on SQLite through
JSON1's `json_each`).
"""

import json

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.fields.array import ArrayContains
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


@IdArrayField.register_lookup
class IdArrayContains(ArrayContains):
    """`field__contains=[ids]`: PostgreSQL's `@>` (GIN); on SQLite, each id is in the JSON list."""

    lookup_name = "contains"

    def __init__(self, lhs, rhs):
        self.wanted = list(rhs) if isinstance(rhs, (list, tuple)) else None
        super().__init__(lhs, rhs)

    def as_sqlite(self, compiler, connection):
        if self.wanted is None:
            raise NotSupportedError("contains on an id list needs a list of ids on this database")
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.wanted:
            return "1 = 1", []
        clause = f"EXISTS (SELECT 1 FROM json_each({lhs}) AS j WHERE j.value = %s)"
        params = []
        for item in self.wanted:
            params += [*lhs_params, int(item)]
        return "(" + " AND ".join([clause] * len(self.wanted)) + ")", params
