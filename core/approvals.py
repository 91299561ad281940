"""The approvals inbox: what a person may decide now, across ticket types.

Each ticket app registers an approval source (a function: user → the pending approvals that
user may decide right now) from its AppConfig.ready(); core knows no ticket app. Changes
register theirs; service requests plug in the same way. The navigation shows the count on
every desk page, so a source answers in a constant, small number of queries (no query at all
for a person who can decide nothing is better still).
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PendingApproval:
    """One decision waiting for a person: which record, which stage, asked by whom, since when."""

    kind: str            # the source's name ("change")
    kind_label: str      # translated, for the row ("Change")
    number: str
    title: str
    url: str
    stage: str           # the stage the person's vote is for
    requested_by: str
    since: datetime      # when the stage started waiting (the age of the request)
    risk: str = ""       # a code for the badge's colour, and its label
    risk_label: str = ""
    risk_badge: str = "secondary"


@dataclass(frozen=True)
class Source:
    name: str
    label: object       # lazy translated text: the record type the source lists
    pending: object     # callable(user) -> list[PendingApproval]


_sources: dict[str, Source] = {}


def register(name, *, label, pending):
    """Register (or replace, on a reload) the approval source `name`."""
    _sources[name] = Source(name=name, label=label, pending=pending)


def sources():
    return list(_sources.values())


def pending_for(user):
    """Every pending approval the person may decide now, oldest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = [item for source in _sources.values() for item in source.pending(user)]
    return sorted(items, key=lambda item: (item.since, item.number))


def pending_for_request(request):
    """pending_for(request.user), worked out once per request: the navigation's count and the
    inbox page read the same list."""
    cached = getattr(request, "_pending_approvals", None)
    if cached is None:
        cached = pending_for(request.user)
        request._pending_approvals = cached
    return cached


class MyApprovals:
    """The navigation's view of the inbox: computed only when a template asks (the desk
    navigation does; the portal's does not)."""

    def __init__(self, request):
        self._request = request

    @property
    def items(self):
        return pending_for_request(self._request)

    @property
    def count(self):
        return len(self.items)
