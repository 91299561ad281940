"""Faster stand-ins for asgiref's `Local` in the module globals Django reads on every request.

Django keeps the active language (`trans_real._active`), the active time zone
(`timezone._active`), the URL prefix and urlconf (`urls.base._prefixes`, `_urlconfs`), and the
database and cache connections (`connections._connections`, `caches._connections`) in asgiref
Locals. asgiref 3.13's `Local` takes an RLock and checks the owning thread on every read, and its
thread-critical kind raises and catches a RuntimeError (`asyncio.get_running_loop`) on every read:
reading the language took ~2-3 µs, so a `gettext` took ~4.7 µs of which the catalog look-up was
~0.5 µs. A desk page reads these a few hundred times, an API request about a hundred (issue 12,
ninth round: ~5 % of their Python lines).

The stand-ins keep asgiref's semantics:
- `ContextLocal` (for `Local()`): a ContextVar holding a dict, replaced (never changed in place)
  on every write. Code in one thread sees its own values, as with a thread local (a new thread
  starts with an empty context); an asyncio task sees its own copy; asgiref's `sync_to_async` and
  `async_to_sync` carry it across as they carry every ContextVar. asgiref tags its storage with
  the owning thread only for Pythons whose new threads inherit the context
  (`sys.flags.thread_inherit_context`, 3.14); there `install` leaves asgiref's Locals in place.
- `ThreadCriticalLocal` (for `Local(thread_critical=True)`): a `threading.local` outside an
  event loop, and inside one, asgiref's own thread-critical Local (per thread and per context).

`install` (from CoreConfig.ready) swaps them in and carries over what the current thread had
already stored. Django's test signals put plain asgiref Locals back when a test overrides
LANGUAGES, LOCALE_PATHS or CACHES: that is only slower.
"""

import asyncio
import contextvars
import sys
import threading
import types

from asgiref.local import Local

_EMPTY = types.MappingProxyType({})
_in_event_loop = asyncio._get_running_loop  # None outside a running loop (no exception raised)


class ContextLocal:
    __slots__ = ("_values",)

    def __init__(self):
        values = contextvars.ContextVar(f"itsm.local.{id(self):x}", default=_EMPTY)
        object.__setattr__(self, "_values", values)

    def __getattr__(self, key):
        try:
            return self._values.get()[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key, value):
        values = dict(self._values.get())
        values[key] = value
        self._values.set(values)

    def __delattr__(self, key):
        values = dict(self._values.get())
        try:
            del values[key]
        except KeyError:
            raise AttributeError(key) from None
        self._values.set(values)


class ThreadCriticalLocal:
    __slots__ = ("_thread", "_in_loop")

    def __init__(self):
        object.__setattr__(self, "_thread", threading.local())
        object.__setattr__(self, "_in_loop", Local(thread_critical=True))

    def __getattr__(self, key):
        return getattr(self._thread if _in_event_loop() is None else self._in_loop, key)

    def __setattr__(self, key, value):
        setattr(self._thread if _in_event_loop() is None else self._in_loop, key, value)

    def __delattr__(self, key):
        delattr(self._thread if _in_event_loop() is None else self._in_loop, key)


def _carried(old, new, keys):
    for key in keys:
        try:
            setattr(new, key, getattr(old, key))
        except AttributeError:
            pass
    return new


def install():
    if getattr(sys.flags, "thread_inherit_context", 0):
        return
    from django.core.cache import caches
    from django.db import connections
    from django.urls import base as urls
    from django.utils import timezone
    from django.utils.translation import trans_real

    trans_real._active = _carried(trans_real._active, ContextLocal(), ["value"])
    timezone._active = _carried(timezone._active, ContextLocal(), ["value"])
    urls._prefixes = _carried(urls._prefixes, ContextLocal(), ["value"])
    urls._urlconfs = _carried(urls._urlconfs, ContextLocal(), ["value"])
    connections._connections = _carried(connections._connections, ThreadCriticalLocal(),
                                        list(connections.settings))
    caches._connections = _carried(caches._connections, ContextLocal(), list(caches.settings))
