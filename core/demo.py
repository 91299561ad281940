"""The demo-data registry: each app registers its `seed(ctx)` in its AppConfig.ready().

`manage.py seed_demo` runs the seeders in registration order, which is INSTALLED_APPS order,
which is the dependency order (a seeder reads the handles earlier ones leave in ctx.shared).
`after` names the seeders one needs: registering before them is a programming error.
Accounts sit below core, so core registers theirs.
"""

from __future__ import annotations

from typing import Callable

_seeders: dict[str, Callable] = {}
# Run once after every seeder (e.g. the SLA sweep over the demo's back-dated clocks).
_finishers: dict[str, Callable] = {}


def register(name: str, seed: Callable, *, after: tuple[str, ...] = (), finish: Callable | None = None) -> None:
    missing = [other for other in after if other not in _seeders]
    if missing:
        raise RuntimeError(f"The {name} demo needs {', '.join(missing)} registered first "
                           "(INSTALLED_APPS order).")
    _seeders[name] = seed
    if finish is not None:
        _finishers[name] = finish


def finishers() -> list[tuple[str, Callable]]:
    return list(_finishers.items())


def names() -> list[str]:
    return list(_seeders)


def seeders() -> list[tuple[str, Callable]]:
    return list(_seeders.items())


# --- the demo in Korean --------------------------------------------------------------------------
# Demo records are data, not interface: they are stored in one language. `seed_demo --language ko`
# (or LANGUAGE_CODE=ko) seeds the Korean names each demo module registers for its English ones.
_korean: dict[str, str] = {}


def korean(phrases: dict[str, str]) -> None:
    """Register Korean names for a demo module's English ones (at import time)."""
    _korean.update(phrases)


def say(text: str) -> str:
    """`text` in the language the demo is being seeded in (the active one): the registered Korean
    name when that is Korean, else `text` itself."""
    from django.utils.translation import get_language

    if (get_language() or "").startswith("ko"):
        return _korean.get(text, text)
    return text
