"""Bulk writes for the sweep and escalation batches without the ORM's per-value compilation.

Rows go through psycopg2's execute_values (one statement per 1,000 rows).
"""

from django.db import connection, models


def _value(field, obj):
    value = getattr(obj, field.attname)
    if isinstance(field, models.JSONField):
        from psycopg2.extras import Json

        # None in a nullable JSON column is SQL NULL, as the ORM stores it.
        return None if value is None and field.null else Json(value)
    return value


def insert(objs, *, ignore_conflicts=False):
    """INSERT model instances (all of one model; pk assigned by the database, not read back)."""
    objs = list(objs)
    if not objs:
        return
    model = type(objs[0])
    from psycopg2.extras import execute_values

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES %s"
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    rows = [tuple(_value(f, obj) for f in fields) for obj in objs]
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, page_size=1000)


def update(objs, field_names):
    """UPDATE the given fields of model instances by primary key, in one statement per 1,000 rows."""
    objs = list(objs)
    if not objs:
        return
    model = type(objs[0])
    from psycopg2.extras import execute_values

    fields = [model._meta.get_field(name) for name in field_names]
    pk = model._meta.pk
    casts = {f.name: f.db_type(connection) for f in fields}
    assignments = ", ".join(
        f"{connection.ops.quote_name(f.column)} = v.{connection.ops.quote_name(f.column)}::{casts[f.name]}"
        for f in fields)
    value_columns = ", ".join([connection.ops.quote_name(pk.column)] + [connection.ops.quote_name(f.column)
                                                                        for f in fields])
    table = connection.ops.quote_name(model._meta.db_table)
    sql = (f"UPDATE {table} AS t SET {assignments} FROM (VALUES %s) AS v({value_columns}) "
           f"WHERE t.{connection.ops.quote_name(pk.column)} = v.{connection.ops.quote_name(pk.column)}")
    rows = [(obj.pk, *(_value(f, obj) for f in fields)) for obj in objs]
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, page_size=1000)


def insert_dicts(model, rows, *, ignore_conflicts=False):
    """INSERT rows given as {attname: value} dicts (missing columns take the field default).

    Cheaper than building model instances when a sweep writes thousands of rows.
    """
    rows = list(rows)
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    from psycopg2.extras import Json, execute_values

    defaults = {f.attname: f.get_default() for f in fields}
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    nullable = {f.attname for f in fields if f.null}

    def convert(name, value):
        if name in json_fields and not (value is None and name in nullable):
            return Json(value)
        return value

    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES %s"
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    values = [tuple(convert(f.attname, row.get(f.attname, defaults[f.attname])) for f in fields) for row in rows]
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, values, page_size=1000)
