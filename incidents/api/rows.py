"""The incidents API v1 shows (a list's page, a detail, a ticket number), read by one statement
written once per process, and their clocks by another (sla.api.rows).

Issue 12, fifth round: a list's page was five statements compiled by the ORM per request (rows
by id, clocks, parents, users, categories: core.models.attach_rows and two Prefetches) and ~90
instances built through its iterables and prefetch machinery, ~60 % of the list's CPU. The
related rows IncidentSerializer shows are scalar subqueries of the rows' statement (each an
index probe, planned in a fraction of what joining them costs: incidents.models'
with_list_relations says why not joins). The instances are the ones the reading queryset
(incidents.api.views.incident_queryset(reading=True)) builds: every column but the search
document, the related rows with the columns READ_COLUMNS names, the clocks in LISTED_CLOCKS.
Visibility is the caller's business: rows are read as they are.
"""

from django.db import connection, models

from accounts.models import User
from core.selects import Columns, fetch
from incidents.models import Category, Incident
from sla.api.rows import attach_listed_clocks

# The relations IncidentSerializer shows beyond their ids, and the columns it reads of them
# (incident_queryset(reading=True) reads the same).
READ_RELATIONS = ("caller", "assigned_to", "category", "subcategory")
READ_COLUMNS = {User: ("id", "username", "display_name"), Category: ("id", "slug")}
PARENT_COLUMNS = ("id", "number")  # a child shows its major incident's number

_TEXT = (models.CharField, models.TextField)  # a SlugField is a CharField
_STATEMENTS = {}


def _related(name, columns, alias):
    """(field, Columns, subquery): the related row of the foreign key `name` as a text array of
    its columns after the primary key (which is the foreign key's value), NULL without a row."""
    field = Incident._meta.get_field(name)
    model = field.related_model
    related = Columns(model, alias, columns)
    pk, rest = related.fields[0], related.fields[1:]
    if pk is not model._meta.pk or not all(isinstance(f, _TEXT) for f in rest) or related.converters:
        raise ValueError(f"{name}: written for a primary key and text columns")
    quote = connection.ops.quote_name
    values = ", ".join(f"{alias}.{quote(f.column)}::text" for f in rest)
    sql = (f"(SELECT ARRAY[{values}] FROM {quote(model._meta.db_table)} {alias} "
           f"WHERE {alias}.{quote(pk.column)} = i.{quote(field.column)})")
    return field, related, sql


def _statement(by):
    found = _STATEMENTS.get(by)
    if found is None:
        quote = connection.ops.quote_name
        incident = Columns(Incident, "i", exclude=("search_vector",))
        relations = [_related(name, READ_COLUMNS[Incident._meta.get_field(name).related_model], f"r{n}")
                     for n, name in enumerate(READ_RELATIONS)]
        relations.append(_related("parent", PARENT_COLUMNS, "p"))
        where = {"id": f"i.{quote(Incident._meta.pk.column)} = ANY(%s)",
                 "number": f"i.{quote(Incident._meta.get_field('number').column)} = %s"}[by]
        sql = (f"SELECT {incident.sql}, {', '.join(sql for _field, _columns, sql in relations)} "
               f"FROM {quote(Incident._meta.db_table)} i WHERE {where}")
        found = _STATEMENTS[by] = (sql, incident, [(field, columns) for field, columns, _sql in relations])
    return found


def _rows(by, param):
    sql, incident_columns, relations = _statement(by)
    split = len(incident_columns)
    incidents, loaded = [], {}
    for row in fetch(sql, [param]):
        incident = incident_columns.load(row[:split])
        for (field, columns), values in zip(relations, row[split:]):
            key = getattr(incident, field.attname)
            related = None
            if key is not None and values is not None:
                # One instance per related row, as attach_rows shares them (a caller of several
                # incidents, the assignee of another: one user; the columns are one model's).
                related = loaded.get((columns.model, key))
                if related is None:
                    related = loaded[columns.model, key] = columns.load([key, *values])
            field.set_cached_value(incident, related)
        incidents.append(incident)
    attach_listed_clocks(incidents)
    return incidents


def incidents_by_id(ids):
    """{id: incident} for the incidents of `ids` that exist, as the API shows them."""
    ids = list(ids)
    return {incident.pk: incident for incident in _rows("id", ids)} if ids else {}


def incident_by_number(number):
    """The incident of this exact number as the API shows it, or None."""
    found = _rows("number", number)
    return found[0] if found else None
