"""INSERT of new rows with the SQL assembled from the model's columns, not compiled by the ORM.

Issue 12, third round: of an API create's CPU, ~15 % went to the ORM compiling its INSERTs (the
incident's 30 columns, the audit row, the two clocks and their start events: `SQLInsertCompiler`
preparing and quoting every value, then `save()`'s bookkeeping) for statements whose shape never
changes. `insert` writes what `bulk_create` writes (every local concrete column, the values as
the fields prepare them for the database, expressions compiled as the ORM compiles them), in one
statement, and sets the primary keys it returns. Like bulk_create: no `save()`, no signals.

Inside `together()`, a row inserted with `later=True` (its id not needed: a ticket's creation
audit row) is written by the next statement core.rows writes, as a data-modifying WITH clause of
it, instead of a statement of its own; whatever is left is written when the block ends. New
parents with their children (`insert_with_children(..., later=True)`: a create's SLA clocks and
their start events) may be deferred too, but only a statement that reads their ids back carries
them (`deferred_clauses` with `families`: the outbox's event of the create); plain `insert`
leaves them for the next one.

The statements are sent as prepared statements of the connection (core.prepared): their text is
the same from one create to the next, so PostgreSQL plans each once per connection.
"""

import datetime
import threading
from contextlib import contextmanager

from django.db import connections, models, router
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields import AutoFieldMixin
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute, ForwardManyToOneDescriptor
from django.db.models.query_utils import DeferredAttribute
from django.db.models.sql import InsertQuery

from core import prepared

_COLUMNS: dict = {}  # model -> (fields, "INSERT INTO … (…)", " RETURNING …", returned fields)
_later = threading.local()  # .rows: the rows deferred inside together(), else None
_NEW: dict = {}  # model -> its fields as new() sets them, or None: built by Model.__init__

_TEXT = (models.CharField, models.TextField)
_INTEGER = (models.IntegerField, models.SmallIntegerField, models.BigIntegerField,
            models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField)


_AWARE, _STR = "aware", "str"


def _unchanged(field, connection):
    """(types, also): the exact value types that `field.get_db_prep_save` returns unchanged, for
    the plain field classes only (a subclass may prepare its values): a str for a text column, an
    int for an integer one or a foreign key to an integer id, a bool, and None where those
    classes give None for None. `also`: _AWARE, an aware datetime too (a DateTimeField); _STR,
    any str subclass too (a text column: CharField.to_python returns a str as it is, so a
    TextChoices member reaches the driver unchanged either way, ~13 per create). Every other
    value, and every other field, is prepared by the field. Issue 12: preparing a create's ~100
    values was ~3 %."""
    cls, none = type(field), type(None)
    target = field.target_field if cls is models.ForeignKey else field
    if cls in _TEXT:
        return frozenset({str, none}), _STR
    if type(target) in _INTEGER + (models.AutoField, models.BigAutoField, models.SmallAutoField) \
            and (cls is models.ForeignKey or cls in _INTEGER) \
            and type(connection.ops.adapt_integerfield_value(7, target.get_internal_type())) is int:
        return frozenset({int, none}), None
    if cls is models.BooleanField:
        return frozenset({bool}), None
    if cls is models.DateTimeField and connection.ops.adapt_datetimefield_value(None) is None:
        return frozenset({none}), _AWARE
    return frozenset(), None


def _columns(model, connection):
    found = _COLUMNS.get(model)
    if found is None:
        opts, quote = model._meta, connection.ops.quote_name
        fields = [(f, *_unchanged(f, connection)) for f in opts.local_concrete_fields
                  if not (f.primary_key and isinstance(f, AutoFieldMixin))]
        # What save() reads back: the id and the columns with a database default (db_default).
        returned = [(f, f.get_db_converters(connection)) for f in opts.db_returning_fields]
        found = _COLUMNS[model] = (
            fields,
            f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f, *_ in fields)}) VALUES ",
            f" RETURNING {', '.join(quote(f.column) for f, _converters in returned)}",
            returned,
        )
    return found


def _values(objs, model, connection, fields, params, numbered_field=None, numbered_sql=None, linked=None):
    """The VALUES rows of `objs`, their params appended to `params`. `linked`: (field, SQL of each
    row's value) for a column computed in the statement (a parent's id)."""
    rows, compiler = [], None
    for i, obj in enumerate(objs):
        placeholders = []
        for field, unchanged, also in fields:
            if field is numbered_field:
                placeholders.append(numbered_sql[0])
                params.extend(numbered_sql[1])
                continue
            if linked is not None and field is linked[0] and linked[1][i] is not None:
                placeholders.append(linked[1][i])
                continue
            value = field.pre_save(obj, add=True)
            kind = type(value)
            if kind in unchanged or (also is _STR and isinstance(value, str)) or (
                    also is _AWARE and kind is datetime.datetime and value.utcoffset() is not None):
                placeholders.append("%s")
                params.append(value)
            elif hasattr(value, "resolve_expression"):  # an SQL expression (a search document)
                if compiler is None:
                    query = InsertQuery(model)
                    compiler = query.get_compiler(connection=connection)
                sql, expression_params = compiler.compile(
                    value.resolve_expression(compiler.query, allow_joins=False, for_save=True))
                placeholders.append(sql)
                params.extend(expression_params)
            else:
                placeholders.append("%s")
                params.append(field.get_db_prep_save(value, connection))
        rows.append(f"({', '.join(placeholders)})")
    return ", ".join(rows)


def plain_attributes(model, attnames):
    """Whether an instance of `model` may be its values written into its __dict__, as Model.__init__
    and from_db leave them: the model has Django's own __init__, nothing listens to its init
    signals now, and each of `attnames` is the plain attribute Django gives a field (a
    DeferredAttribute, which a fresh instance's __dict__ holds). Shared by the rows read
    (core.selects.Columns) and the rows made (new())."""
    plain = (DeferredAttribute, ForeignKeyDeferredAttribute)
    return (model.__init__ is Model.__init__
            and not signals.pre_init.has_listeners(model) and not signals.post_init.has_listeners(model)
            and all(type(model.__dict__.get(name) or getattr(model, name, None)) in plain for name in attnames))


def new(model, **values):
    """`model(**values)`: the same new instance, built without Model.__init__'s generic walk.

    Issue 12, eleventh round: a create builds eight instances (the ticket, its audit row, two
    clocks and their start events, the outbox's event and delivery); Model.__init__ was ~5 % of
    a worker's CPU in it. Here each field is set as __init__ sets it, from a list made once per
    model: the value given by name or attname, else the field's default; a related object given
    by name goes through the relation's descriptor, as in __init__ (its type check, the
    instance's database), and None is what that descriptor leaves for None on a new instance.
    A model with its own __init__, listeners of its init signals, a value that is not a
    concrete field (a generic relation, a property) or a field whose attribute is not Django's
    plain one goes to Model.__init__."""
    spec = _NEW.get(model, False)
    if spec is False:
        spec = _NEW[model] = _new_spec(model)
    # The init signals are asked on every call: a listener may be connected after the spec is made.
    if spec is None or signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return model(**values)
    names, fields = spec
    if not names.issuperset(values):
        return model(**values)
    obj = model.__new__(model)
    obj._state = ModelState()
    attributes, cache = obj.__dict__, obj._state.fields_cache
    related = []
    for field, attname, relation_name, default in fields:
        if relation_name is not None and relation_name in values:
            value = values[relation_name]
            if value is None:
                attributes[attname] = None
                cache[relation_name] = None
            else:
                related.append((relation_name, value))
        elif attname in values:
            attributes[attname] = values[attname]
        else:
            attributes[attname] = default() if default is not None else field.get_default()
    for name, value in related:
        setattr(obj, name, value)
    return obj


def _new_spec(model):
    """({names and attnames new() sets}, [(field, attname, name if a relation, default)]) of
    `model`, or None where new() leaves the work to Model.__init__."""
    concrete = [field for field in model._meta.fields if field.column is not None and not field.generated]
    if not plain_attributes(model, [field.attname for field in concrete]):
        return None
    names, fields = set(), []
    for field in concrete:
        relation = field.is_relation
        if relation and not (field.many_to_one and field.cache_name == field.name
                             and type(getattr(model, field.name, None)) is ForwardManyToOneDescriptor):
            return None
        # A plain field's default is its _get_default callable (what get_default() calls); a
        # foreign key's get_default() also turns a default instance into its id.
        default = None if relation else field._get_default
        names.add(field.attname)
        if relation:
            names.add(field.name)
        fields.append((field, field.attname, field.name if relation else None, default))
    return frozenset(names), fields


def _model_of(objs):
    model = type(objs[0])
    if model._meta.parents:
        raise TypeError(f"{model.__name__} inherits a table: use save() or bulk_create().")
    return model


def _set_returned(objs, written, returned, connection):
    for obj, values in zip(objs, written, strict=True):
        for (field, converters), value in zip(returned, values):
            for converter in converters:
                value = converter(value, field, connection)
            setattr(obj, field.attname, value)
        obj._state.adding, obj._state.db = False, connection.alias


@contextmanager
def together():
    """Rows inserted with `later=True` inside this block ride in the next statement written here
    (see the module's docstring); the rest are written at the block's end. If the block fails,
    they are dropped with it (the caller's transaction rolls back)."""
    if getattr(_later, "rows", None) is not None:  # nested: the outer block writes them
        yield
        return
    _later.rows = []
    try:
        yield
        left, _later.rows = _later.rows, None
        for objs in left:
            if isinstance(objs, _Family):
                insert_with_children(objs.parents, objs.children, objs.link)
            else:
                insert(objs)
    finally:
        _later.rows = None


class _Family:
    """New parents and their children, deferred (insert_with_children(..., later=True))."""

    def __init__(self, parents, children, link):
        self.parents, self.children, self.link = parents, children, link


def deferred_clauses(connection, params, families=None):
    """The WITH clauses of the rows deferred for this connection (their params appended), taken.
    Deferred families are taken only if the caller reads their ids back: it passes `families`,
    a list that gets them, then puts `readback_sql(families)` in its result and hands those
    values to `read_back`."""
    pending = getattr(_later, "rows", None)
    if not pending:
        return []
    clauses, kept = [], []
    for objs in pending:
        if isinstance(objs, _Family):
            if families is None or router.db_for_write(type(objs.parents[0])) != connection.alias:
                kept.append(objs)
                continue
            names = (f'"deferred_{len(clauses)}_parents"', f'"deferred_{len(clauses)}_children"')
            clauses.append(_family_clauses(objs, connection, params, *names))
            families.append((objs, names))
            continue
        model = type(objs[0])
        if router.db_for_write(model) != connection.alias:
            kept.append(objs)
            continue
        fields, head, _tail, _returned = _columns(model, connection)
        values = _values(objs, model, connection, fields, params)
        clauses.append(f'"deferred_{len(clauses)}" AS ({head}{values})')
    _later.rows = kept
    return clauses


def readback_sql(families):
    """The SQL expressions, two per family, that give back its parents' and children's new ids."""
    return [f"(SELECT array_agg({pk} ORDER BY {pk}) FROM {name})"
            for family, names in families
            for name, pk in zip(names, _pk_columns(family))]


def read_back(families, values, connection):
    """Set the ids of deferred families from the values of their readback_sql, in order."""
    values = iter(values)
    for family, _names in families:
        _family_written(family, next(values), next(values), connection)


def insert(objs, *, numbered=None, later=False):
    """Insert new instances of one model in one statement; sets their pk. Returns them.

    `numbered=(field name, ((WITH clause, params), (expression, params)))`: one new row whose
    field is that expression, computed in the same statement and read back (a ticket's number,
    core.models.NumberSequence.next_number_sql). `later=True` inside together(): written with
    the next statement, its pk left unset."""
    objs = list(objs)
    if not objs:
        return objs
    model = _model_of(objs)
    if later and getattr(_later, "rows", None) is not None:
        _later.rows.append(objs)
        return objs
    connection = connections[router.db_for_write(model)]
    fields, head, tail, returned = _columns(model, connection)
    params = []
    clauses = deferred_clauses(connection, params)
    numbered_field = numbered_sql = None
    if numbered is not None:
        if len(objs) != 1:
            raise ValueError("A numbered insert writes one row.")
        name, ((cte, cte_params), numbered_sql) = numbered
        numbered_field = model._meta.get_field(name)
        clauses.append(cte)
        params.extend(cte_params)
        tail = f"{tail}, {connection.ops.quote_name(numbered_field.column)}"
    values = _values(objs, model, connection, fields, params, numbered_field, numbered_sql)
    with_clause = f"WITH {', '.join(clauses)} " if clauses else ""
    with connection.cursor() as cursor:
        prepared.execute(connection, cursor, with_clause + head + values + tail, params)
        written = cursor.fetchall()
    _set_returned(objs, written, returned, connection)
    if numbered_field is not None:
        setattr(objs[0], numbered_field.attname, written[0][-1])
    return objs


def insert_with_children(parents, children, link, *, later=False):
    """Insert new `parents` (one model) and `children` (one model) in one statement: a child whose
    `link` (a foreign key) holds one of the new parents gets that parent's new id, computed in the
    statement. Sets every pk; returns nothing. Issue 12: a ticket's new SLA clocks and their start
    events were two statements of every create. `later=True` inside together(): written by the
    next statement that reads deferred families' ids back (see deferred_clauses), their pks
    unset until then.

    The parents' ids come from their sequence in the order of their rows (as bulk_create's
    RETURNING does); the k-th new parent is the k-th smallest id the statement returns."""
    parents, children = list(parents), list(children)
    if not parents or not children:
        insert(parents)
        _link_ids(children, children[0]._meta.get_field(link) if children else None)
        insert(children)
        return
    family = _Family(parents, children, link)
    connection = connections[router.db_for_write(_model_of(parents))]
    _pk_columns(family)  # refuses what cannot be read back, now rather than later
    if later and getattr(_later, "rows", None) is not None:
        _later.rows.append(family)
        return
    params, families = [], []
    clauses = "".join(f"{clause}, " for clause in deferred_clauses(connection, params, families))
    names = ('"new_parents"', '"new_children"')
    sql = (f'WITH {clauses}{_family_clauses(family, connection, params, *names)} '
           f'SELECT {", ".join(readback_sql([(family, names), *families]))}')
    with connection.cursor() as cursor:
        prepared.execute(connection, cursor, sql, params)
        written = cursor.fetchone()
    read_back([(family, names), *families], written, connection)


def _pk_columns(family):
    """The quoted id columns of a family's parents and children (the only columns read back)."""
    parent_model, child_model = _model_of(family.parents), _model_of(family.children)
    connection = connections[router.db_for_write(parent_model)]
    _fields, _head, _tail, p_returned = _columns(parent_model, connection)
    _fields, _head, _tail, c_returned = _columns(child_model, connection)
    if ([f for f, _ in p_returned] != [parent_model._meta.pk]
            or [f for f, _ in c_returned] != [child_model._meta.pk]):
        raise TypeError("insert_with_children reads back ids only.")
    quote = connection.ops.quote_name
    return quote(parent_model._meta.pk.column), quote(child_model._meta.pk.column)


def _family_clauses(family, connection, params, parents_name, children_name):
    """The two WITH clauses that insert a family (their params appended): the parents, then the
    children, each child's link to a new parent computed from the parents' clause."""
    parent_model, child_model = type(family.parents[0]), type(family.children[0])
    p_fields, p_head, p_tail, _p_returned = _columns(parent_model, connection)
    c_fields, c_head, c_tail, _c_returned = _columns(child_model, connection)
    link_field = child_model._meta.get_field(family.link)
    position = {id(parent): k for k, parent in enumerate(family.parents)}
    pk = connection.ops.quote_name(parent_model._meta.pk.column)
    _link_ids([c for c in family.children if id(link_field.get_cached_value(c, None)) not in position], link_field)
    linked = []
    for child in family.children:
        k = position.get(id(link_field.get_cached_value(child, None)))
        linked.append(None if k is None
                      else f"(SELECT {pk} FROM {parents_name} ORDER BY {pk} OFFSET {k} LIMIT 1)")
    family.linked = linked
    parent_values = _values(family.parents, parent_model, connection, p_fields, params)
    child_values = _values(family.children, child_model, connection, c_fields, params, linked=(link_field, linked))
    return (f"{parents_name} AS ({p_head}{parent_values}{p_tail}), "
            f"{children_name} AS ({c_head}{child_values}{c_tail})")


def _family_written(family, parent_ids, child_ids, connection):
    parent_model, child_model = type(family.parents[0]), type(family.children[0])
    _fields, _head, _tail, p_returned = _columns(parent_model, connection)
    _fields, _head, _tail, c_returned = _columns(child_model, connection)
    _set_returned(family.parents, [(i,) for i in parent_ids], p_returned, connection)
    _set_returned(family.children, [(i,) for i in child_ids], c_returned, connection)
    link_field = child_model._meta.get_field(family.link)
    _link_ids([child for child, sql in zip(family.children, family.linked) if sql is not None], link_field)


def _link_ids(children, link_field):
    """Copy each child's parent's id into its foreign key (the parent was saved after the child
    was given it), as `child.parent_id = child.parent.pk` does."""
    for child in children:
        parent = link_field.get_cached_value(child, None)
        if parent is not None:
            setattr(child, link_field.attname, parent.pk)
