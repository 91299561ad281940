"""The alignment check (ISO/IEC 20000-1 8.3.4 and 8.3.3): an underpinning contract or an OLA
must be at least as tight as the SLA it supports on the same service. A UC that gives the
supplier 8 h to resolve a P1 under a 4 h P1 SLA cannot keep the SLA.

Pure: agreements come in as plain values (`Terms`), warnings go out as dicts; the selector
builds the values from the database.

Targets are business minutes of each agreement's own calendar. Two agreements on the same
calendar compare those minutes directly. On different calendars a business minute is not the
same length of time, so each target is turned into wall-clock minutes with its calendar's
share of the week (a 09–18 Monday–Friday calendar counts 45 of 168 hours, so 4 business hours
stand for about 15 wall-clock hours) and the warning says it compared that way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WEEK_MINUTES = 7 * 24 * 60
KINDS = ("response", "resolution")


@dataclass(frozen=True)
class Terms:
    """One agreement as the check sees it.

    `services`: the service ids it covers, or None for every service.
    `targets`: {priority: {"response": minutes or None, "resolution": minutes or None}}.
    `calendar`: a key (None for 24×7); `weekly_minutes`: the calendar's working minutes per week.
    """

    id: int
    name: str
    services: frozenset | None
    targets: dict
    calendar: object = None
    calendar_name: str = ""
    weekly_minutes: int = WEEK_MINUTES
    priorities: frozenset | None = field(default=None)


def wall_clock_minutes(minutes: int, weekly_minutes: int) -> float:
    """Business minutes as the wall-clock time they take on average, on a calendar that works
    `weekly_minutes` of the week's 10,080."""
    if not weekly_minutes:
        return float("inf")
    return minutes * WEEK_MINUTES / weekly_minutes


def shared_services(first: Terms, second: Terms):
    """The services both cover (None: every service), or an empty set when they never meet."""
    if first.services is None:
        return second.services
    if second.services is None:
        return first.services
    return first.services & second.services


def check(underpinning: Terms, supported: list[Terms]) -> list[dict]:
    """Every target of `underpinning` looser than a target of an SLA it supports on a shared
    service: one warning per (SLA, priority, kind), listing the services concerned."""
    warnings = []
    for sla in supported:
        services = shared_services(underpinning, sla)
        if services is not None and not services:
            continue
        same_calendar = underpinning.calendar == sla.calendar
        for priority in sorted(set(underpinning.targets) & set(sla.targets)):
            if sla.priorities is not None and priority not in sla.priorities:
                continue
            for kind in KINDS:
                ours = (underpinning.targets[priority] or {}).get(kind)
                theirs = (sla.targets[priority] or {}).get(kind)
                if ours is None or theirs is None:
                    continue
                if same_calendar:
                    ours_cmp, theirs_cmp, basis = ours, theirs, "business"
                else:
                    ours_cmp = wall_clock_minutes(ours, underpinning.weekly_minutes)
                    theirs_cmp = wall_clock_minutes(theirs, sla.weekly_minutes)
                    basis = "wall_clock"
                if ours_cmp > theirs_cmp:
                    warnings.append({
                        "sla": sla.id, "sla_name": sla.name, "priority": priority, "kind": kind,
                        "services": None if services is None else sorted(services),
                        "target_minutes": ours, "sla_minutes": theirs, "basis": basis,
                        "compared_minutes": [round(ours_cmp), round(theirs_cmp)],
                    })
    return warnings


def hours_text(minutes: int) -> str:
    """240 → '4 h', 90 → '1 h 30 min', 45 → '45 min'."""
    from django.utils.translation import gettext as _

    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": rest}
    if hours:
        return _("%(h)d h") % {"h": hours}
    return _("%(m)d min") % {"m": rest}


def describe(warning: dict) -> str:
    """The warning as one sentence for people (the API carries it as `message`)."""
    from django.utils.translation import gettext as _

    values = {"priority": warning["priority"], "ours": hours_text(warning["target_minutes"]),
              "theirs": hours_text(warning["sla_minutes"]), "sla": warning["sla_name"]}
    if warning["kind"] == "response":
        text = _("P%(priority)s response: %(ours)s here, but %(sla)s promises %(theirs)s.") % values
    else:
        text = _("P%(priority)s resolution: %(ours)s here, but %(sla)s promises %(theirs)s.") % values
    if warning["basis"] == "wall_clock":
        text += " " + _("(Different calendars: compared as average wall-clock time, %(a)s against %(b)s.)") % {
            "a": hours_text(warning["compared_minutes"][0]), "b": hours_text(warning["compared_minutes"][1])}
    return text
