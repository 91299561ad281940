"""The clocks a ticket's representation lists, read by a statement written once per process.

Issue 12, fifth round: the clocks' Prefetch (a GenericRelation with select_related and only())
was compiled through the ORM on every list and detail, then its instances built through the
prefetch machinery. This reads the same columns (LISTED_CLOCK_COLUMNS) in the same order (the
clock's Meta.ordering) into the same instances, and sets them where the Prefetch put them
(LISTED_CLOCKS), which SLAClockSerializer reads. Each definition also holds its calendar's
version (LISTED_CALENDAR_VERSION), by which a running clock's count finds the calendar this
process built without asking the shared cache whether its copy of the row is current.
"""

from operator import attrgetter

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from core.selects import Columns, fetch
from sla.api.serializers import LISTED_CALENDAR_VERSION, LISTED_CLOCK_COLUMNS, LISTED_CLOCKS
from sla.models import BusinessCalendar, SLAClock, SLADefinition

# What a desk list's SLA badges read of a clock (sla/partials/_badges.html, sla.selectors.
# badge_status): the listed columns and the warnings sent.
BADGE_CLOCK_COLUMNS = (*LISTED_CLOCK_COLUMNS, "warnings_sent")
_STATEMENTS = {}


def _statement(names):
    found = _STATEMENTS.get(names)
    if found is None:
        quote = connection.ops.quote_name
        own = ["id"] + [name for name in names if "__" not in name]
        related = ["id"] + [name.split("__", 1)[1] for name in names if name.startswith("definition__")]
        clock, definition = Columns(SLAClock, "c", own), Columns(SLADefinition, "d", related)
        meta = SLAClock._meta
        if any(name.startswith("-") for name in meta.ordering):
            raise ValueError("SLAClock's ordering changed: written for ascending columns")
        order = ", ".join(f"c.{quote(meta.get_field(name).column)}" for name in meta.ordering)
        calendar = BusinessCalendar._meta
        version = quote(calendar.get_field("updated_at").column)
        by = quote(SLADefinition._meta.get_field("calendar").column)
        stamp = (f"(SELECT cal.{version} FROM {quote(calendar.db_table)} cal "
                 f"WHERE cal.{quote(calendar.pk.column)} = d.{by})")
        sql = (
            f"SELECT {clock.sql}, {definition.sql}, {stamp} FROM {quote(meta.db_table)} c "
            f"INNER JOIN {quote(SLADefinition._meta.db_table)} d "
            f"ON d.{quote(SLADefinition._meta.pk.column)} = c.{quote(meta.get_field('definition').column)} "
            # The values behind one-row sub-selects: the planner cannot see them, so every plan
            # costs what the generic plan costs and PostgreSQL keeps the generic one after five
            # executions. Seen, the ticket ids made each custom plan look cheaper, and the
            # statement was planned again on every list, detail and number search (0.27-0.41 ms
            # of planning for ~0.05 ms of execution; issue 12, ninth round).
            f"WHERE c.{quote(meta.get_field('content_type').column)} = (SELECT %s::integer) "
            f"AND c.{quote(meta.get_field('object_id').column)} = ANY((SELECT %s)::bigint[]) ORDER BY {order}"
        )
        found = _STATEMENTS[names] = (sql, clock, definition)
    return found


def attach_listed_clocks(tickets, columns=LISTED_CLOCK_COLUMNS):
    """Set LISTED_CLOCKS on every ticket of `tickets` (one model): its clocks with their
    definitions' name, agreement and calendar, in one statement, none without tickets. `columns`:
    what is read of them (LISTED_CLOCK_COLUMNS' form), the API's by default."""
    if not tickets:
        return
    model = type(tickets[0])
    # The primary key read as the column it is: `pk` is a property calling a method, twice a ticket.
    pk_of = attrgetter(model._meta.pk.attname)
    by_ticket = listed_clocks(model, [pk_of(ticket) for ticket in tickets], columns)
    for ticket in tickets:
        setattr(ticket, LISTED_CLOCKS, by_ticket[pk_of(ticket)])


def listed_clocks(model, pks, columns=LISTED_CLOCK_COLUMNS):
    """{pk: its clocks} for the tickets of `model` whose primary keys are `pks` (not empty): what
    attach_listed_clocks sets on them."""
    sql, clock_columns, definition_columns = _statement(tuple(columns))
    content_type = ContentType.objects.get_for_model(model)
    by_ticket = {pk: [] for pk in pks}
    split = len(clock_columns)
    set_definition = SLAClock._meta.get_field("definition").set_cached_value
    definitions = {}
    for row in fetch(sql, [content_type.pk, list(by_ticket)]):
        clock = clock_columns.load(row[:split])
        definition = definitions.get(clock.definition_id)
        if definition is None:  # one per definition, as select_related would not: fewer to build
            definition = definitions[clock.definition_id] = definition_columns.load(row[split:-1])
            definition.__dict__[LISTED_CALENDAR_VERSION] = row[-1]
        set_definition(clock, definition)
        by_ticket[clock.object_id].append(clock)
    return by_ticket
