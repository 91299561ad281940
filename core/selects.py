"""SELECTs assembled from the models' columns once per process, not compiled by the ORM per request.

Issue 12, fifth round: of an API list's CPU, ~60 % went to the ORM compiling the page's
statements (rows by id, their clocks, parent, users, categories) and building their instances
through its iterables and prefetch machinery, for statements whose shape never changes (as the
token's, accounts.authentication). `Columns` is the column list of one model under one alias and
turns a fetched slice of a row into the instance the ORM would have built for those columns
(`Model.from_db`, with the fields' database converters): the same instance, the other fields
deferred, as `only()` gives.
"""

from django.db import DEFAULT_DB_ALIAS, connection, models
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.mixins import FieldCacheMixin

from core import prepared
from core.rows import plain_attributes
from core.models import attach_rows


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
        self.direct = (model.from_db.__func__ is Model.from_db.__func__
                       and plain_attributes(model, self.attnames))

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
    """Every row of one statement (of the default database, where `Columns.load` says they are).

    The statement is prepared once per connection (core.prepared): every caller's text is written
    once per process, and each is a look-up by key whose generic plan PostgreSQL keeps after five
    executions, so it is no longer planned per request (issue 12, eighth round: an API list's rows
    and clocks took 0.13-0.16 ms each to plan, 0.02-0.04 ms prepared)."""
    with connection.cursor() as cursor:
        prepared.execute(connection, cursor, sql, params)
        return cursor.fetchall()


_TEXT = (models.CharField, models.TextField)  # a SlugField is a CharField


class RowsWith:
    """The rows of `model` whose `key` column is a parameter (`many`: any of a list of them), every
    column but `exclude`, with the rows some of its foreign keys point to: one statement written
    once, read into the instances the ORM builds (Columns), each relation of `related`
    ({foreign key name: column names of its row, the primary key first, the rest text}) cached on
    them as select_related leaves it, without its other columns.

    Each related row is a scalar subquery of the statement (an index probe, planned in a fraction
    of what joining them costs: incidents.models' with_list_relations says why not joins), its
    text columns as one array. One instance per related row: a caller of several rows, the
    assignee of another, is one user (as core.models.attach_rows shares them)."""

    def __init__(self, model, key, *, many=False, exclude=(), related=None):
        quote = connection.ops.quote_name
        alias = "t"
        self.columns = Columns(model, alias, exclude=exclude)
        self.relations, subqueries = [], []
        for n, (name, names) in enumerate((related or {}).items()):
            field = model._meta.get_field(name)
            target, inner = field.related_model, f"r{n}"
            columns = Columns(target, inner, names)
            pk, rest = columns.fields[0], columns.fields[1:]
            if pk is not target._meta.pk or not all(isinstance(f, _TEXT) for f in rest) or columns.converters:
                raise ValueError(f"{name}: written for a primary key and text columns")
            if type(field).set_cached_value is not FieldCacheMixin.set_cached_value:
                raise ValueError(f"{name}: read() caches the related row as FieldCacheMixin does")
            values = ", ".join(f"{inner}.{quote(f.column)}::text" for f in rest)
            subqueries.append(f"(SELECT ARRAY[{values}] FROM {quote(target._meta.db_table)} {inner} "
                              f"WHERE {inner}.{quote(pk.column)} = {alias}.{quote(field.column)})")
            self.relations.append((field, columns))
        # For read(): (cache name, the key's index in the row, the related model, its load) of
        # each relation, where the instances are built directly from values the row holds as they
        # are (no converters), else None.
        self.direct_relations = None
        if self.columns.direct and not self.columns.converters and all(
                field.attname in self.columns.attnames for field, _columns in self.relations):
            self.direct_relations = [(field.cache_name, self.columns.attnames.index(field.attname),
                                      columns.model, columns.load) for field, columns in self.relations]
            self.relation_names = [name for name, *_rest in self.direct_relations]
        where = f"{alias}.{quote(model._meta.get_field(key).column)} = {'ANY(%s)' if many else '%s'}"
        self.sql = (f"SELECT {', '.join([self.columns.sql, *subqueries])} "
                    f"FROM {quote(model._meta.db_table)} {alias} WHERE {where}")

    def read(self, param):
        """The instances of the rows whose key is `param` (a list of keys with `many`)."""
        if self.direct_relations is None:
            return self._read(fetch(self.sql, [param]), len(self.columns))
        # Columns.load's direct instance written out (instance()), and each relation's key read
        # from the row (a column without converters: the value load puts in __dict__), cached as
        # set_cached_value caches it (values()): ~1,500 of a list page's ~14,500 Python lines were
        # in load and set_cached_value (issue 12, ninth round).
        instance = self.instance
        return [instance(row, related) for row, related in self.values(param)]

    def values(self, param):
        """[(row, related)] of the rows whose key is `param`, without their instances: each fetched
        row as it is (its first len(self.columns) values are the columns, in Columns' order, as
        read() puts them in __dict__) and its relations' instances, built and shared as read()
        builds them; None where read() does not build its instances directly. instance() makes
        read()'s instance of one (read() is the two together). Issue 12, tenth round: an
        incident's instance, built and freed, was ~45,000 instructions, ~8 % of an API list page."""
        relations = self.direct_relations
        if relations is None:
            return None
        split = len(self.columns)
        found, loaded = [], {}
        for row in fetch(self.sql, [param]):
            related = []
            for (_name, at, related_model, load), texts in zip(relations, row[split:]):
                key = row[at]
                if key is None or texts is None:
                    related.append(None)
                    continue
                instance = loaded.get((related_model, key))
                if instance is None:
                    instance = loaded[related_model, key] = load([key, *texts])
                related.append(instance)
            found.append((row, related))
        return found

    def instance(self, row, related):
        """read()'s instance of one of values()' (row, related)."""
        model = self.columns.model
        instance = model.__new__(model)
        state = ModelState()
        state.adding, state.db = False, DEFAULT_DB_ALIAS
        state.fields_cache = dict(zip(self.relation_names, related))
        values = instance.__dict__
        values["_state"] = state
        values.update(zip(self.columns.attnames, row))  # the first len(self.columns) values
        return instance

    def _read(self, rows, split):
        found, loaded = [], {}
        for row in rows:
            instance = self.columns.load(row[:split])
            for (field, columns), values in zip(self.relations, row[split:]):
                key = getattr(instance, field.attname)
                related = None
                if key is not None and values is not None:
                    related = loaded.get((columns.model, key))
                    if related is None:
                        related = loaded[columns.model, key] = columns.load([key, *values])
                field.set_cached_value(instance, related)
            found.append(instance)
        return found


_BY_ID = {}  # model -> (SQL, Columns): every column of its rows by id


def rows_by_id(model, ids):
    """The rows of `model` whose primary key is in `ids`, every column, as
    `model._base_manager.filter(pk__in=ids)` reads them (in no order), by a statement written once
    per model and process (issue 12, seventh round: a record page's related rows were compiled by
    the ORM on every page)."""
    if not ids:
        return []  # as the ORM: no statement for no ids
    read = _BY_ID.get(model)
    if read is None:
        quote = connection.ops.quote_name
        columns = Columns(model, "r")
        read = _BY_ID[model] = (f"SELECT {columns.sql} FROM {quote(model._meta.db_table)} r "
                                f"WHERE r.{quote(model._meta.pk.column)} = ANY(%s)", columns)
    sql, columns = read
    return [columns.load(row) for row in fetch(sql, [sorted(ids)])]


def attach_by_id(instances, names):
    """core.models.attach_rows (the rows the foreign keys `names` point to, one statement per
    related model, a relation already in memory kept) by rows_by_id's statements."""
    attach_rows(instances, names, read=lambda related, ids: {row.pk: row for row in rows_by_id(related, ids)})
