"""Issue 12, second round: in-process profiles and CPU/query figures of one endpoint.

    DATABASE_URL=... DEBUG=0 .venv/bin/python bench/hperf_profile.py create [-n 200] [--profile]
    ... bench/hperf_profile.py get /api/v1/incidents/?page_size=25 [-n 50] [--profile] [--web]

Requests go through Django's test client (token as `agent` for the API, a session for the desk);
prints wall/CPU medians and queries per request; `--profile` prints a pyinstrument profile
(pyinstrument is a bench-only tool: `pip install pyinstrument` into the venv).
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")
os.environ.setdefault("DEBUG", "0")
import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def _keep_query_log():
    # request_started clears the query log and request_finished closes the connection (like the
    # test runner does, keep both so that one request's queries can be counted).
    from django.core import signals
    from django.db import close_old_connections, reset_queries

    signals.request_started.disconnect(reset_queries)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)


def client(web):
    from django.contrib.auth import get_user_model
    from accounts import services
    from core.choices import Channel

    agent = get_user_model().objects.get(username="agent")
    c = Client(HTTP_HOST="127.0.0.1")
    if web:
        c.force_login(agent)
    else:
        _token, key = services.issue_token(agent, actor=None, channel=Channel.SYSTEM, name="hperf bench")
        c.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    return c


def run(call, n, profile):
    call()  # warm
    seen = []

    def counting(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        call()
    walls, cpus = [], []
    prof = None
    if profile == "cpu":
        import cProfile
        prof = cProfile.Profile(time.process_time)
        prof.enable()
    elif profile:
        from pyinstrument import Profiler
        prof = Profiler(interval=0.0005)
        prof.start()
    for _ in range(n):
        w, c = time.perf_counter(), time.process_time()
        call()
        walls.append((time.perf_counter() - w) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    if profile == "cpu":
        prof.disable()
        import pstats
        if os.environ.get("PSTATS_OUT"):
            prof.dump_stats(os.environ["PSTATS_OUT"])
        pstats.Stats(prof).sort_stats("cumulative").print_stats(int(os.environ.get("TOP", "70")))
    elif prof:
        prof.stop()
        print(prof.output_text(unicode=False, color=False, show_all=False))
    walls.sort()
    print(f"queries {len(seen)}  wall median {statistics.median(walls):.1f} "
          f"p95 {walls[int(len(walls) * 0.95) - 1]:.1f}  CPU median {statistics.median(cpus):.1f} ms  (n={n})")
    if os.environ.get("SHOW_SQL"):
        for sql in seen:
            print("  ", sql[:300])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["create", "get"])
    ap.add_argument("path", nargs="?")
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--profile", nargs="?", const="wall", help="wall (pyinstrument) or cpu (cProfile, CPU time)")
    ap.add_argument("--web", action="store_true")
    a = ap.parse_args()
    _keep_query_log()
    c = client(a.web)
    if a.what == "create":
        i = iter(range(10 ** 9))

        def call():
            k = next(i)
            r = c.post("/api/v1/incidents/", {"title": f"[bench-create] printer {k}", "description": "it is broken",
                                              "impact": 2 + k % 2, "urgency": 3 - k % 2}, content_type="application/json")
            assert r.status_code == 201, r.content
    else:
        def call():
            r = c.get(a.path)
            assert r.status_code == 200, r.status_code
    run(call, a.n, a.profile)


if __name__ == "__main__":
    main()
