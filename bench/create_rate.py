"""Issue 12, third round: API creates per second against a running server, as the harness posts.

    DATABASE_URL=... .venv/bin/python bench/create_rate.py http://127.0.0.1:8131 [-c 2] [-s 10]

Issues an API token for `agent` (Django set up against DATABASE_URL), then `-c` threads each post
the harness's body (title, description, impact, urgency; `workload.py create`) for `-s` seconds
over a kept-alive session, after one warm-up post each. Prints creates/s and latency percentiles.
"""
import argparse
import os
import statistics
import sys
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")


def token():
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from accounts import services
    from core.choices import Channel

    agent = get_user_model().objects.get(username="agent")
    return services.issue_token(agent, actor=None, channel=Channel.SYSTEM, name="create rate bench")[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("-c", type=int, default=2)
    ap.add_argument("-s", type=float, default=10.0)
    a = ap.parse_args()
    headers = {"Authorization": f"Token {token()}"}
    url = a.base.rstrip("/") + "/api/v1/incidents/"
    lock, latencies, errors, counter = threading.Lock(), [], [], iter(range(10 ** 9))

    def body(i):
        return {"title": f"[bench-create] 프린터 출력 불가 {i}", "description": "3층 복합기에서 인쇄가 되지 않습니다. " * 3,
                "impact": 2 + i % 2, "urgency": 3 - i % 2}

    sessions = [requests.Session() for _ in range(a.c)]
    for s in sessions:
        s.post(url, json=body(0), headers=headers, timeout=60).raise_for_status()
    end = time.monotonic() + a.s

    def worker(s):
        while time.monotonic() < end:
            with lock:
                i = next(counter)
            t = time.perf_counter()
            r = s.post(url, json=body(i), headers=headers, timeout=60)
            elapsed = (time.perf_counter() - t) * 1000
            with lock:
                (latencies if r.status_code == 201 else errors).append(elapsed if r.status_code == 201 else r.text[:200])

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    latencies.sort()
    print(f"c{a.c}: {len(latencies) / wall:.1f} creates/s, median {statistics.median(latencies):.1f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms, n={len(latencies)}, errors={len(errors)}"
          + (f" first: {errors[0]}" if errors else ""))


if __name__ == "__main__":
    main()
