"""Read-side helpers: clocks of many tickets in one query, badge status, report rows."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils import timezone

from sla.choices import ClockState
from sla.models import SLAClock


def clock_queryset():
    return SLAClock.objects.select_related("definition").order_by("kind", "definition__name", "id")


def sla_clocks_prefetch(lookup="sla_clocks"):
    """For ticket list querysets: `.prefetch_related(sla_clocks_prefetch())` (one query for all rows)."""
    return Prefetch(lookup, queryset=clock_queryset())


def clocks_for_tickets(tickets, *, include_cancelled=False):
    """Map ticket pk → its clocks, for any number of tickets of one model, in one query."""
    tickets = list(tickets)
    result = defaultdict(list)
    if not tickets:
        return result
    content_type = ContentType.objects.get_for_model(tickets[0])
    qs = clock_queryset().filter(content_type=content_type, object_id__in=[t.pk for t in tickets])
    if not include_cancelled:
        qs = qs.exclude(state=ClockState.CANCELLED)
    for clock in qs:
        result[clock.object_id].append(clock)
    return result


def clocks_for_ticket(ticket, *, include_cancelled=True):
    return list(clock_queryset().filter(
        content_type=ContentType.objects.get_for_model(ticket), object_id=ticket.pk,
    ).exclude(**({} if include_cancelled else {"state": ClockState.CANCELLED})))


def badge_status(clock, now=None):
    """ok / warning / breached / paused / met / cancelled, for the colour of a clock's badge."""
    now = now or timezone.now()
    if clock.state == ClockState.CANCELLED:
        return "cancelled"
    if clock.state == ClockState.BREACHED or clock.breached_at is not None:
        return "breached"
    if clock.state == ClockState.MET:
        return "met"
    if clock.state == ClockState.PAUSED or clock.paused_at is not None:
        return "paused"
    if clock.due_at is not None and clock.due_at <= now:
        return "breached"
    if clock.warnings_sent:
        return "warning"
    return "ok"
