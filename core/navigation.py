"""The desk's main menu, assembled from what each app registers at start-up.

An app adds its pages with `register(...)` in its AppConfig.ready(), so adding a process never
edits a shared template. Entries sit in the flat main row (daily work) or in a group shown as a
dropdown (the life-cycle areas people visit less often); `visible(user)` decides who sees an
entry and `active(match)` which entry is lit for the current page (by default: any page of the
entry's URL namespace).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from accounts import roles

MAIN = "main"
# Dropdown groups in menu order: the ITIL life-cycle areas that are not daily queue work.
GROUPS = {
    "services": _("Services"),
    "improve": _("Improve"),
    "admin": _("Administration"),
}


@dataclass(frozen=True)
class Entry:
    key: str
    label: object
    url_name: str
    group: str = MAIN
    order: int = 100
    visible: Callable = roles.is_agent
    active: Callable | None = None
    testid: str = ""

    def is_active(self, match) -> bool:
        if match is None:
            return False
        if self.active is not None:
            return bool(self.active(match))
        namespace = self.url_name.rpartition(":")[0]
        return bool(namespace) and match.namespace == namespace


_entries: dict[str, Entry] = {}


def register(key: str, label, url_name: str, *, group: str = MAIN, order: int = 100, visible=None,
             active=None, testid: str = "") -> Entry:
    if group != MAIN and group not in GROUPS:
        raise ValueError(f"Unknown menu group {group!r}; known: {sorted(GROUPS)}")
    entry = Entry(key=key, label=label, url_name=url_name, group=group, order=order,
                  visible=visible or roles.is_agent, active=active, testid=testid or f"nav-{key}")
    _entries[key] = entry
    _resolved.clear()
    _rendered.clear()
    return entry


@dataclass(frozen=True)
class Link:
    label: object
    href: str
    active: bool
    testid: str


@dataclass(frozen=True)
class Group:
    key: str
    label: object
    links: tuple[Link, ...]

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)


# The entries in menu order with their URLs, worked out once per process and URL configuration
# (register() drops them): every desk page draws the menu, and reversing its ~20 URLs was most of
# its cost (issue 12). Who sees which entry is still asked per request.
_resolved: dict = {}


def _ordered():
    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    held = _resolved.get(key)
    if held is None:
        entries = sorted(_entries.values(), key=lambda e: (e.order, str(e.key)))
        held = _resolved[key] = tuple((entry, reverse(entry.url_name)) for entry in entries)
    return held


def menu_for(user, match) -> tuple[tuple[Link, ...], tuple[Group, ...]]:
    """The main row's links and the dropdown groups (empty groups left out) this user sees."""
    main, grouped, _shown_key = _shown(user, match)
    return tuple(main), _groups(grouped)


def _groups(grouped):
    return tuple(Group(key, GROUPS[key], tuple(links)) for key, links in grouped.items() if links)


# The desk menu's markup (includes/nav_desk.html), rendered once per process for each thing that
# changes it and reused: every desk page draws the menu, and its ~30 links, lazy labels and
# conditions through the template engine were most of the page's shell (issue 12, seventh round).
# What changes the output, and so the key: the language (labels), the URL configuration and
# script prefix (hrefs), which entries this user sees (permissions, asked per request as before),
# which are lit for this page, whether the approvals inbox is the page, and the approvals count.
# Nothing else reaches the template (no user name, no CSRF token, no request). Bounded: at most
# _RENDERED_MAX keys (an approver's count is the only open-ended part), dropped all at once when
# full; register() drops them too.
_rendered: dict = {}
_RENDERED_MAX = 512
NAV_TEMPLATE = "includes/nav_desk.html"


def _shown(user, match):
    """(the visible entries' links in menu order, the key part naming them and the lit ones)."""
    seen = {}  # visible callable -> its answer: most entries share roles.is_agent
    main, grouped = [], {key: [] for key in GROUPS}
    keys = []
    for entry, href in _ordered():
        visible = seen.get(entry.visible)
        if visible is None:
            visible = seen[entry.visible] = bool(entry.visible(user))
        if not visible:
            continue
        active = entry.is_active(match)
        keys.append((entry.key, active))
        link = Link(label=entry.label, href=href, active=active, testid=entry.testid)
        (main if entry.group == MAIN else grouped[entry.group]).append(link)
    return main, grouped, tuple(keys)


def desk_nav(request, pending) -> str:
    """The desk menu's HTML (includes/nav_desk.html) for request.user on this page, with
    `pending` approvals waiting in its badge."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    match = getattr(request, "resolver_match", None)
    main, grouped, shown = _shown(request.user, match)
    approvals_active = getattr(match, "view_name", None) == "approvals"
    key = (get_language(), settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), shown,
           approvals_active, int(pending))
    html = _rendered.get(key)
    if html is None:
        # No request and no context processors: only what the key names reaches the template.
        html = mark_safe(render_to_string(NAV_TEMPLATE, {
            "menu": (tuple(main), _groups(grouped)), "pending": int(pending), "approvals_active": approvals_active}))
        if len(_rendered) >= _RENDERED_MAX:
            _rendered.clear()
        _rendered[key] = html
    return html
