"""The incidents API v1 shows (a list's page, a detail, a ticket number), read by one statement
written once per process, and their clocks by another (sla.api.rows).

Issue 12, fifth round: a list's page was five statements compiled by the ORM per request (rows
by id, clocks, parents, users, categories: core.models.attach_rows and two Prefetches) and ~90
instances built through its iterables and prefetch machinery, ~60 % of the list's CPU. The
related rows IncidentSerializer shows are scalar subqueries of the rows' statement
(core.selects.RowsWith). The instances are the ones the reading queryset
(incidents.api.views.incident_queryset(reading=True)) builds: every column but the search
document, the related rows with the columns READ_COLUMNS names, the clocks in LISTED_CLOCKS.
Visibility is the caller's business: rows are read as they are.
"""

from accounts.models import User
from core.selects import RowsWith
from incidents.models import Category, Incident
from sla.api.rows import attach_listed_clocks, listed_clocks
from sla.api.serializers import LISTED_CLOCKS

# The relations IncidentSerializer shows beyond their ids, and the columns it reads of them
# (incident_queryset(reading=True) reads the same).
READ_RELATIONS = ("caller", "assigned_to", "category", "subcategory")
READ_COLUMNS = {User: ("id", "username", "display_name"), Category: ("id", "slug")}
PARENT_COLUMNS = ("id", "number")  # a child shows its major incident's number

_STATEMENTS = {}


def _statement(by):
    found = _STATEMENTS.get(by)
    if found is None:
        related = {name: READ_COLUMNS[Incident._meta.get_field(name).related_model]
                   for name in READ_RELATIONS}
        found = _STATEMENTS[by] = RowsWith(Incident, by, many=by == "id", exclude=("search_vector",),
                                           related={**related, "parent": PARENT_COLUMNS})
    return found


def _rows(by, param):
    incidents = _statement(by).read(param)
    attach_listed_clocks(incidents)
    return incidents


def incidents_by_id(ids):
    """{id: incident} for the incidents of `ids` that exist, as the API shows them."""
    ids = list(ids)
    # `id`, the primary key, read as a column: `pk` is a property calling a method, per row.
    return {incident.id: incident for incident in _rows("id", ids)} if ids else {}


def incident_by_number(number):
    """The incident of this exact number as the API shows it, or None."""
    found = _rows("number", number)
    return found[0] if found else None


class ListedIncident:
    """One incident of a list's page as read, without its instance: `row` (the statement's values,
    the columns in Columns' order first), `related` (its READ_RELATIONS and parent, as read()
    caches them) and `clocks`. IncidentSerializer writes it from these (incident_row's `listed`);
    `incident()` is the instance incidents_by_id would have given, for anything else."""

    __slots__ = ("row", "related", "clocks", "_incident")

    def __init__(self, row, related, clocks):
        self.row, self.related, self.clocks, self._incident = row, related, clocks, None

    def incident(self):
        if self._incident is None:
            incident = self._incident = _statement("id").instance(self.row, self.related)
            setattr(incident, LISTED_CLOCKS, self.clocks)
        return self._incident


def listed_by_id(ids):
    """{id: ListedIncident} for the incidents of `ids` that exist (incidents_by_id's, without
    their instances), or None where the statement builds its instances the slow way."""
    statement = _statement("id")
    found = statement.values(list(ids)) if ids else []
    if found is None:
        return None
    at = statement.columns.attnames.index("id")
    clocks = listed_clocks(Incident, [row[at] for row, _related in found]) if found else {}
    return {row[at]: ListedIncident(row, related, clocks[row[at]]) for row, related in found}
