"""core.locals' stand-ins behave as asgiref's Locals do: the same scenario (threads, asyncio tasks,
async_to_sync, sync_to_async) observed through each gives the same observations; and Django's
request globals use them."""

import asyncio
import os
import subprocess
import sys
import threading

import pytest
from asgiref.local import Local
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.db import connections
from django.utils import translation

from core.locals import ContextLocal, ThreadCriticalLocal

MISSING = "<missing>"


def seen(local, key):
    return getattr(local, key, MISSING)


def in_thread(fn):
    out = []

    def run():
        try:
            out.append(("returned", fn()))
        except BaseException as error:  # re-raised in the caller, where pytest reports it
            out.append(("raised", error))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    outcome, value = out[0]
    if outcome == "raised":
        raise value
    return value


def scenario(local):
    """Observations of one Local through every way Django's code reaches it."""
    observed = []
    local.a = 1
    observed.append(("new thread sees", in_thread(lambda: seen(local, "a"))))

    def set_in_thread():
        local.a = 2
        return seen(local, "a")

    observed.append(("thread's own", in_thread(set_in_thread)))
    observed.append(("main after thread", seen(local, "a")))

    async def in_tasks():
        local.b = 1

        async def child():
            before = seen(local, "b")
            local.b = 2
            return before, seen(local, "b")

        from_child = await asyncio.create_task(child())
        return from_child, seen(local, "b")

    observed.append(("asyncio tasks", in_thread(lambda: asyncio.run(in_tasks()))))

    async def set_c():
        local.c = 3
        return seen(local, "a")

    observed.append(("async_to_sync sees", async_to_sync(set_c)()))
    observed.append(("after async_to_sync", seen(local, "c")))

    def set_d():
        local.d = 4
        return seen(local, "b"), seen(local, "a")

    async def via_sync_to_async():
        local.b = 5
        inner = await sync_to_async(set_d)()
        return inner, seen(local, "d")

    observed.append(("sync_to_async", async_to_sync(via_sync_to_async)()))
    observed.append(("after both", seen(local, "b"), seen(local, "d")))

    del local.a
    observed.append(("deleted", seen(local, "a")))
    with pytest.raises(AttributeError):
        del local.a
    with pytest.raises(AttributeError):
        local.never_set
    return observed


def scenario_in_fresh_thread(local):
    # A thread of its own: a browser test earlier in the same worker can leave its event loop
    # running in the main thread (Playwright's sync API), where async_to_sync refuses to run.
    return in_thread(lambda: scenario(local))


def test_a_context_local_is_observed_as_asgiref_local_is():
    assert scenario_in_fresh_thread(ContextLocal()) == scenario_in_fresh_thread(Local())


def test_a_thread_critical_local_is_observed_as_asgiref_thread_critical_local_is():
    ours = scenario_in_fresh_thread(ThreadCriticalLocal())
    assert ours == scenario_in_fresh_thread(Local(thread_critical=True))


def test_the_two_kinds_differ_where_asgiref_kinds_do():
    # The scenario can tell a thread-critical Local from a plain one (else the tests above prove
    # nothing about which kind each stand-in is).
    plain = scenario_in_fresh_thread(Local())
    assert plain != scenario_in_fresh_thread(Local(thread_critical=True))


def test_the_comparison_holds_where_the_calling_thread_runs_an_event_loop():
    # What a Playwright test leaves behind in an xdist worker's thread, made in a thread of its own
    # (this one may have such a loop running already, where asyncio.run refuses to start another).
    async def from_inside_a_loop():
        return scenario_in_fresh_thread(ContextLocal())

    assert in_thread(lambda: asyncio.run(from_inside_a_loop())) == scenario_in_fresh_thread(Local())


GLOBALS_IN_A_FRESH_PROCESS = """
import django
django.setup()
from django.core.cache import caches
from django.db import connections
from django.urls import base as urls
from django.utils import timezone
from django.utils.translation import trans_real
print(" ".join(type(local).__name__ for local in (
    trans_real._active, timezone._active, urls._prefixes, urls._urlconfs, connections._connections,
    caches._connections)))
"""


def test_djangos_request_globals_use_the_stand_ins():
    # In a process of its own, as a server starts: in this one, a test earlier in the worker that
    # overrode LANGUAGES, LOCALE_PATHS or CACHES has had Django's test signals put asgiref's back.
    started = subprocess.run([sys.executable, "-c", GLOBALS_IN_A_FRESH_PROCESS], capture_output=True, text=True,
                             env={**os.environ, "DJANGO_SETTINGS_MODULE": "itsm.settings"}, check=True,
                             cwd=settings.BASE_DIR)
    assert started.stdout.split() == ["ContextLocal"] * 4 + ["ThreadCriticalLocal", "ContextLocal"]


def test_the_language_is_per_thread_and_follows_override():
    with translation.override("ko"):
        assert translation.gettext("Priority") == "우선순위"
        assert in_thread(translation.get_language) == "en"
        with translation.override("en"):
            assert translation.gettext("Priority") == "Priority"
        assert translation.get_language() == "ko"


@pytest.mark.django_db
def test_each_thread_has_its_own_database_connection():
    main = connections["default"]
    other = in_thread(lambda: connections["default"])
    assert other is not main  # (never connected: nothing to close)
