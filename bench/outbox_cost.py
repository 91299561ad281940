"""What the outbox adds to a write: update_ticket and add_comment timed with the outbox writer on
and off, interleaved in one run so that machine load hits both alike.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_bench_core .venv/bin/python bench/outbox_cost.py

Uses itsm.settings_test (the test-only ticket type, tests/ticketapp) like bench/core.py.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings_test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/itsm_bench_core")

import django  # noqa: E402

django.setup()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()

    from accounts.roles import Role
    from accounts.services import upsert_user
    from core import events, outbox
    from core.choices import Channel
    from core.models import OutboxEvent
    from core.services import add_comment, create_ticket, update_ticket
    from tests.ticketapp.models import CaseTicket

    agent = upsert_user("bench.agent", role=Role.AGENT, teams=["Bench Team"])
    ticket = create_ticket(CaseTicket, actor=agent, channel=Channel.API, title="outbox cost")
    timings = {("update", True): [], ("update", False): [], ("comment", True): [], ("comment", False): []}
    before = OutboxEvent.objects.count()
    for index in range(args.rounds):
        for with_outbox in (True, False):
            events.use_writer(outbox.write if with_outbox else None)
            started = time.perf_counter()
            ticket, _diff = update_ticket(ticket, actor=agent, channel=Channel.API,
                                          changes={"title": f"outbox cost {index} {with_outbox}"})
            timings[("update", with_outbox)].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            add_comment(ticket, actor=agent, channel=Channel.API, body=f"note {index}", internal=True)
            timings[("comment", with_outbox)].append((time.perf_counter() - started) * 1000)
    events.use_writer(outbox.write)
    written = OutboxEvent.objects.count() - before
    for (what, with_outbox), samples in timings.items():
        samples.sort()
        print(f"{what:8} outbox {'on ' if with_outbox else 'off'}: p50 {statistics.median(samples):.2f} ms, "
              f"p95 {samples[int(len(samples) * 0.95) - 1]:.2f} ms")
    print(f"outbox rows written while on: {written} (2 per round expected: {2 * args.rounds})")


if __name__ == "__main__":
    main()
