"""Requests and tasks get SLA clocks through the ordinary definitions (ticket_type); an item
whose delivery time is its SLA target sets the request's resolution target."""

import pytest

from fulfilment import services
from fulfilment.choices import TaskState as T
from fulfilment.models import Request, Task
from fulfilment.services import OrderLine
from fulfilment.tests.factories import make_item
from sla.choices import ClockKind
from sla.tests.factories import make_definition

pytestmark = pytest.mark.django_db


def order(actor, *items):
    return services.submit_request(actor, lines=[OrderLine(i, {"model": "X1"}) for i in items])


def test_request_clock_uses_the_definition_or_the_items_delivery_time(employee, hardware_team):
    make_definition("Requests", model=Request, targets={3: (60, 2400)}, pause_states=[])
    plain = order(employee, make_item(plan=[(1, hardware_team, None)]))
    clock = plain.sla_clocks.get(kind=ClockKind.RESOLUTION)
    assert clock.target_minutes == 2400
    quick = make_item("Badge", sla_from_delivery_time=True, delivery_time=8, plan=[(1, hardware_team, None)])
    slow = make_item("Desk", sla_from_delivery_time=True, delivery_time=16, plan=[(1, hardware_team, None)])
    request = order(employee, quick, slow, make_item("Pen", plan=[(1, hardware_team, None)]))
    assert request.sla_clocks.get(kind=ClockKind.RESOLUTION).target_minutes == 16 * 60
    # Read back later (no transient value): the same answer from the items.
    assert Request.objects.get(pk=request.pk).sla_target_minutes("resolution", 1) == 16 * 60


def test_request_clock_stops_when_fulfilled(employee, hardware_team):
    make_definition("Requests", model=Request, targets={3: (60, 2400)}, pause_states=[])
    request = order(employee, make_item(plan=[(1, hardware_team, None)]))
    services.update_task(hardware_team.members.first(), Task.objects.get(request=request), state=T.DONE)
    clock = Request.objects.get(pk=request.pk).sla_clocks.get(kind=ClockKind.RESOLUTION)
    assert clock.stopped_at is not None


def test_task_ola_per_group_and_pending_tasks_paused(employee, hardware_team, network_team):
    make_definition("Network OLA", model=Task, targets={3: (30, 480)}, agreement="ola",
                    applies_to={"assignment_groups": [network_team.pk]}, pause_states=["pending"])
    request = order(employee, make_item(plan=[(1, hardware_team, None), (2, network_team, None)]))
    first, second = Task.objects.filter(request=request).order_by("stage")
    assert not first.sla_clocks.exists()
    clock = second.sla_clocks.get(kind=ClockKind.RESOLUTION)
    assert clock.target_minutes == 480 and clock.paused_at is not None  # its stage has not started
    services.update_task(hardware_team.members.first(), first, state=T.DONE)
    clock.refresh_from_db()
    assert clock.paused_at is None
