"""The outbox benchmark's after-commit handler, imported by its workers (`--include`).

Each call inserts one row keyed by the delivery id, inside the delivery's transaction, so a
delivery handed out twice would show up as a duplicate row.
"""

import os

from django.db import connection

from core import events

EVENT = "bench.ping"


@events.after_commit(EVENT, key="bench.count")
def count(event):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_outbox_seen (delivery_id, worker) VALUES (%s, %s)",
                       [event.delivery_id, os.getpid()])
