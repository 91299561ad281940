"""Every service locks a ticket's row before its SLA clocks (the engine locks the clocks from the
event the service publishes): two writers of one ticket taking them in opposite orders deadlock,
and PostgreSQL then aborts one of them."""

import threading
import time

import pytest
from django.db import connection, transaction

from core.choices import Channel
from incidents import services
from incidents.models import Incident
from sla.choices import ClockState
from sla.models import SLAClock
from sla.tests.conftest import kst


@pytest.mark.django_db(transaction=True)
def test_a_public_comment_locks_the_ticket_before_its_clocks(definition, open_incident, agent):
    incident = open_incident(now=kst(2026, 11, 23, 10, 0))
    errors = []

    def answer():
        try:
            services.comment(incident, actor=agent, channel=Channel.WEB, body="확인 중입니다",
                             now=kst(2026, 11, 23, 10, 5))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    worker = threading.Thread(target=answer)
    with transaction.atomic():
        Incident.objects.select_for_update().get(pk=incident.pk)  # a change of the ticket in flight
        worker.start()
        time.sleep(1)  # the answer runs until it waits for the ticket's row
        # Had the answer locked the clocks first (to stop the response clock), this would fail at once.
        assert len(list(SLAClock.objects.for_object(incident).select_for_update(nowait=True))) == 2
    worker.join(10)
    assert not worker.is_alive() and not errors
    assert SLAClock.objects.for_object(incident).get(kind="response").state == ClockState.MET
