"""Ticket numbers come from core.services.create_ticket: unique and gapless under concurrency."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from core.choices import Channel
from core.models import NumberSequence
from core.services import create_ticket
from tests.database_url import database_url
from tests.ticketapp.models import CaseTicket, DeskTicket

ROOT = Path(__file__).resolve().parents[2]


def _expected(prefix, count):
    return [NumberSequence.format(prefix, value) for value in range(1001, 1001 + count)]


@pytest.mark.django_db
def test_each_ticket_type_numbers_from_its_own_sequence(make_ticket):
    # when
    first, second = make_ticket(), make_ticket()
    desk = make_ticket(DeskTicket)
    # then
    assert (first.number, second.number, desk.number) == ("TST0001001", "TST0001002", "TSD0001001")


@pytest.mark.django_db
def test_invalid_ticket_uses_no_number(make_ticket):
    # given
    from django.core.exceptions import ValidationError

    # when
    with pytest.raises(ValidationError):
        make_ticket(title="")
    ticket = make_ticket()
    # then
    assert ticket.number == "TST0001001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_from_threads_is_unique_and_gapless(agent):
    # given
    threads, per_thread, numbers, errors = 6, 10, [], []
    lock = threading.Lock()

    def worker():
        try:
            for index in range(per_thread):
                ticket = create_ticket(CaseTicket, actor=agent, channel=Channel.API, title=f"thread {index}")
                with lock:
                    numbers.append(ticket.number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    # when
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    # then
    assert errors == []
    assert sorted(numbers) == _expected("TST", threads * per_thread)
    assert CaseTicket.objects.count() == threads * per_thread


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_from_processes_is_unique_and_gapless(agent):
    # given: child processes use the very database this test runs on (HOST may be a socket directory)
    url = database_url(connection.settings_dict)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "itsm.settings_test", "DATABASE_URL": url,
           "PYTHONPATH": str(ROOT)}
    processes, per_process = 3, 15
    # when
    children = [
        subprocess.Popen([sys.executable, "-m", "tests.ticketapp.bulk_create", str(agent.pk), str(per_process)],
                         cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    outputs = [child.communicate(timeout=120) for child in children]
    # then
    assert [child.returncode for child in children] == [0] * processes, [err for _out, err in outputs]
    numbers = [line for out, _err in outputs for line in out.split()]
    assert len(numbers) == processes * per_process
    assert sorted(numbers) == _expected("TST", processes * per_process)
    assert sorted(CaseTicket.objects.values_list("number", flat=True)) == sorted(numbers)


@pytest.mark.django_db
def test_field_named_like_a_keyword_can_be_passed_in_values(agent):
    ticket = create_ticket(CaseTicket, actor=agent, channel=Channel.WEB, values={"title": "via values", "state": "closed"})
    assert (ticket.title, ticket.state) == ("via values", "closed")
