"""INSERT of new rows with the SQL assembled from the model's columns, not compiled by the ORM.

Issue 12, third round: of an API create's CPU, ~15 % went to the ORM compiling its INSERTs (the
incident's 30 columns, the audit row, the two clocks and their start events: `SQLInsertCompiler`
preparing and quoting every value, then `save()`'s bookkeeping) for statements whose shape never
changes. `insert` writes what `bulk_create` writes (every local concrete column, the values as
the fields prepare them for the database, expressions compiled as the ORM compiles them), in one
statement, and sets the primary keys it returns. Like bulk_create: no `save()`, no signals.
"""

from django.db import connections, router
from django.db.models.fields import AutoFieldMixin
from django.db.models.sql import InsertQuery

_COLUMNS: dict = {}  # model -> (fields, "INSERT INTO … (…)", " RETURNING …", returned fields)


def _columns(model, connection):
    found = _COLUMNS.get(model)
    if found is None:
        opts, quote = model._meta, connection.ops.quote_name
        fields = [f for f in opts.local_concrete_fields if not (f.primary_key and isinstance(f, AutoFieldMixin))]
        # What save() reads back: the id and the columns with a database default (db_default).
        returned = [(f, f.get_db_converters(connection)) for f in opts.db_returning_fields]
        found = _COLUMNS[model] = (
            fields,
            f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES ",
            f" RETURNING {', '.join(quote(f.column) for f, _converters in returned)}",
            returned,
        )
    return found


def insert(objs, *, numbered=None):
    """Insert new instances of one model in one statement; sets their pk. Returns them.

    `numbered=(field name, ((WITH clause, params), (expression, params)))`: one new row whose
    field is that expression, computed in the same statement and read back (a ticket's number,
    core.models.NumberSequence.next_number_sql)."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    if model._meta.parents:
        raise TypeError(f"{model.__name__} inherits a table: use save() or bulk_create().")
    connection = connections[router.db_for_write(model)]
    fields, head, tail, returned = _columns(model, connection)
    rows, params, compiler = [], [], None
    numbered_field = None
    if numbered is not None:
        if len(objs) != 1:
            raise ValueError("A numbered insert writes one row.")
        name, ((cte, cte_params), numbered_sql) = numbered
        numbered_field = model._meta.get_field(name)
        head = cte + head
        params.extend(cte_params)
        tail = f"{tail}, {connection.ops.quote_name(numbered_field.column)}"
    for obj in objs:
        placeholders = []
        for field in fields:
            if field is numbered_field:
                placeholders.append(numbered_sql[0])
                params.extend(numbered_sql[1])
                continue
            value = field.pre_save(obj, add=True)
            if hasattr(value, "resolve_expression"):  # an SQL expression (a search document)
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
    with connection.cursor() as cursor:
        cursor.execute(head + ", ".join(rows) + tail, params)
        written = cursor.fetchall()
    for obj, values in zip(objs, written, strict=True):
        for (field, converters), value in zip(returned, values):
            for converter in converters:
                value = converter(value, field, connection)
            setattr(obj, field.attname, value)
        if numbered_field is not None:
            setattr(obj, numbered_field.attname, values[-1])
        obj._state.adding, obj._state.db = False, connection.alias
    return objs
