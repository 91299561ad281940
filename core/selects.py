"""SELECTs assembled from the models' columns once per process, not compiled by the ORM per request.

Issue 12, fifth round: of an API list's CPU, ~60 % went to the ORM compiling the page's
statements (rows by id, their clocks, parent, users, categories) and building their instances
through its iterables and prefetch machinery, for statements whose shape never changes (as the
token's, accounts.authentication). `Columns` is the column list of one model under one alias and
turns a fetched slice of a row into the instance the ORM would have built for those columns
(`Model.from_db`, with the fields' database converters): the same instance, the other fields
deferred, as `only()` gives.
"""

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute


class Columns:
    """The concrete fields `names` (all but `exclude` if None) of `model` read as `alias`."""

    def __init__(self, model, alias, names=None, exclude=()):
        fields = [f for f in model._meta.concrete_fields
                  if (names is None or f.name in names or f.attname in names) and f.name not in exclude]
        if names is not None and len(fields) != len(set(names)):
            raise ValueError(f"{model.__name__}: not all of {names} are concrete fields")
        quote = connection.ops.quote_name
        self.model = model
        self.fields = fields
        # from_db takes a subset of the columns in the model's order: `fields` keeps that order.
        self.attnames = [f.attname for f in fields]
        self.sql = ", ".join(f"{alias}.{quote(f.column)}" for f in fields)
        self.converters = []
        for index, field in enumerate(fields):
            col = field.get_col(alias)
            funcs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if funcs:
                self.converters.append((index, funcs, col))

        # Model.__init__ (from_db's) sets each value through setattr after checking its
        # arguments: a fifth of an API list's CPU for ~80 instances (issue 12, fifth round). When
        # nothing listens to the model's init signals and every column's attribute is the plain
        # one Django gives a field (a DeferredAttribute, which a fresh instance's __dict__ holds),
        # the instance is those values in its __dict__: what __init__ would have left there.
        # A model with its own __init__ or from_db (one that remembers the loaded values, say)
        # goes through them.
        plain = (DeferredAttribute, ForeignKeyDeferredAttribute)
        self.direct = (model.__init__ is Model.__init__ and model.from_db.__func__ is Model.from_db.__func__
                       and not signals.pre_init.has_listeners(model) and not signals.post_init.has_listeners(model)
                       and all(type(model.__dict__.get(name) or getattr(model, name, None)) in plain
                               for name in self.attnames))

    def __len__(self):
        return len(self.fields)

    def load(self, values):
        """The instance of a fetched slice of a row (len(self) values, in this order)."""
        if self.converters:
            values = list(values)
            for index, funcs, col in self.converters:
                for func in funcs:
                    values[index] = func(values[index], col, connection)
        if not self.direct:
            return self.model.from_db(DEFAULT_DB_ALIAS, self.attnames, values)
        instance = self.model.__new__(self.model)
        instance._state = state = ModelState()
        state.adding, state.db = False, DEFAULT_DB_ALIAS
        instance.__dict__.update(zip(self.attnames, values))
        return instance


def fetch(sql, params):
    """Every row of one statement (of the default database, where `Columns.load` says they are)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
