"""One reading of a frozen snapshot, in the active language, shared by the page, the PDF and the
XLSX: sections of headed tables. The numbers come from the snapshot only (never the database),
so every format says the same, and the labels are translated when rendered."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext as _, ngettext, pgettext

from core.choices import Priority
from sla.choices import ClockKind

DASH = "–"


@dataclass
class Table:
    headers: list
    rows: list
    caption: str = ""
    # Columns holding numbers: right-aligned on the page and in the PDF.
    numeric: frozenset = frozenset()


@dataclass
class Section:
    key: str
    title: str
    note: str = ""
    tables: list = field(default_factory=list)


def num(value, suffix=""):
    if value is None:
        return DASH
    if isinstance(value, float):
        return f"{value:.1f}{suffix}"
    return f"{value}{suffix}"


def pct(value):
    return num(value, " %")


def title(snapshot) -> str:
    scope = snapshot["organisation"]["name"]
    if snapshot.get("service"):
        scope = f"{scope} · {snapshot['service']['name']}"
    return _("Monthly service report %(month)s: %(scope)s") % {"month": snapshot["period"]["month"], "scope": scope}


def meta(snapshot, report=None) -> list[tuple[str, str]]:
    period = snapshot["period"]
    rows = [
        (_("Period"), f"{period['start']} – {period['end']} ({period['time_zone']})"),
        (_("Organisation"), snapshot["organisation"]["name"]),
        (_("Service"), snapshot["service"]["name"] if snapshot.get("service") else _("All services")),
        (_("Generated"), f"{snapshot['generated_at'][:16].replace('T', ' ')} ({period['time_zone']})"),
    ]
    if report is not None:
        rows.append((_("State"), str(report.get_state_display())))
    return rows


def _reason(reason):
    if isinstance(reason, dict):
        language = (get_language() or "en")[:2]
        return reason.get(language) or reason.get("en") or ""
    return reason or ""


def sections(snapshot) -> list[Section]:
    kinds = dict(ClockKind.choices)
    priorities = dict(Priority.choices)
    volumes = snapshot["volumes"]
    inc, req = volumes["incidents"], volumes["requests"]
    out = []

    out.append(Section("volumes", _("Volumes"), tables=[
        Table([_("Figure"), _("Incidents"), _("Service requests")], [
            [pgettext("ticket count", "Opened"), num(inc["opened"]), num(req["opened"])],
            [pgettext("ticket count", "Resolved"), num(inc["resolved"]), num(req["fulfilled"])],
            [_("Backlog at month end"), num(inc["backlog"]), num(req["open_at_end"])],
            [_("Mean time to resolve (h)"), num(inc["mean_hours"]), DASH],
            [_("90th percentile (h)"), num(inc["p90_hours"]), DASH],
        ], numeric=frozenset({1, 2})),
        Table([_("Priority"), _("Incidents opened")],
              [[str(priorities.get(int(p), p)), num(n)] for p, n in sorted(inc["by_priority"].items())],
              caption=_("Incidents by priority"), numeric=frozenset({1})),
    ]))
    if snapshot.get("services") and not snapshot.get("service"):
        out[-1].tables.append(Table(
            [_("Service"), pgettext("ticket count", "Opened"), pgettext("ticket count", "Resolved"),
             _("Backlog at month end"), _("SLA clocks"), _("Breached"), _("Attainment")],
            [[s["name"] or _("No service recorded"), num(s["opened"]), num(s["resolved"]), num(s["backlog"]),
              num(s["clocks"]), num(s["breached"]), pct(s["attainment"])] for s in snapshot["services"]],
            caption=_("Incidents per service"), numeric=frozenset(range(1, 7))))

    sla = snapshot["sla"]
    out.append(Section("sla", _("SLA attainment"), note=ngettext(
        "%(met)s of %(clocks)s clock met its target (%(attainment)s); %(breached)s breached. "
        "Clocks count in the month of their outcome, in business time of each agreement's calendar.",
        "%(met)s of %(clocks)s clocks met their target (%(attainment)s); %(breached)s breached. "
        "Clocks count in the month of their outcome, in business time of each agreement's calendar.",
        sla["clocks"])
        % {"met": sla["met"], "clocks": sla["clocks"], "attainment": pct(sla["attainment"]),
           "breached": sla["breached"]}, tables=[
        Table([_("Agreement"), _("Target"), _("Clocks"), _("Met"), _("Breached"), _("Attainment")],
              [[t["definition"], f"{kinds.get(t['kind'], t['kind'])} P{t['priority'] or DASH} · "
                + _("%(minutes)s business min") % {"minutes": t["target_minutes"]},
                num(t["clocks"]), num(t["met"]), num(t["breached"]), pct(t["attainment"])] for t in sla["targets"]],
              caption=_("SLA attainment per target"), numeric=frozenset({2, 3, 4, 5})),
        Table([_("Ticket"), _("Service"), _("Agreement"), _("Target"), _("Breached"), _("Reason")],
              [[b["number"], b["service"] or _("No service recorded"), b["definition"],
                f"{kinds.get(b['kind'], b['kind'])} P{b['priority'] or DASH} / {b['target_minutes']}",
                (b["breached_at"] or "")[:16].replace("T", " "), _reason(b["reason"])] for b in sla["breaches"]],
              caption=_("Breaches and their reasons")),
    ]))

    out.append(Section("availability", _("Availability"), note=_(
        "Not measured yet: the service desk records no outages, so no availability figure is reported. "
        "This section will show service minutes, outage minutes and availability once outages are recorded.")))

    ch, pr = snapshot["changes"], snapshot["problems"]
    out.append(Section("changes", _("Changes and problems"), note=_(
        "Changes are not recorded per organisation: the figures count the changes impacting the report's "
        "service, or every change for a report on all services. Problems: those linked to the "
        "organisation's incidents."), tables=[
        Table([_("Changes"), _("Value")], [
            [_("Raised"), num(ch["raised"])], [_("Implemented"), num(ch["implemented"])],
            [_("Successful"), num(ch["successful"])], [_("Failed or backed out"), num(ch["failed"])],
            [_("Success rate"), pct(ch["success_rate"])], [_("Emergency changes"), num(ch["emergency"])],
            [_("Emergency share"), pct(ch["emergency_share"])],
        ], numeric=frozenset({1})),
        Table([_("Problems"), _("Value")], [
            [pgettext("ticket count", "Opened"), num(pr["opened"])], [pgettext("ticket count", "Resolved"), num(pr["resolved"])],
            [_("Open at month end"), num(pr["open_at_end"])], [_("Known errors open"), num(pr["known_errors"])],
        ], numeric=frozenset({1})),
    ]))

    sat = snapshot["satisfaction"]
    by_score = sat.get("by_score") or {}
    out.append(Section("satisfaction", _("Customer satisfaction"), tables=[
        Table([_("Figure"), _("Value")], [
            [_("Responses"), num(sat.get("responses"))], [_("Invited"), num(sat.get("invited"))],
            [_("Response rate"), pct(sat.get("response_rate"))], [_("CSAT (share of 4–5)"), pct(sat.get("csat_percent"))],
            [_("Score (100 points)"), num(sat.get("score_100"))], [_("Low scores (1–2)"), num(sat.get("low_scores"))],
        ] + [[_("Score %(score)s") % {"score": s}, num(by_score.get(str(s), 0))] for s in range(1, 6)],
            numeric=frozenset({1})),
    ]))

    voc = snapshot["voc"]
    by_kind = voc.get("by_kind") or {}
    out.append(Section("voc", _("Voice of the customer"), tables=[
        Table([_("Figure"), _("Value")], [
            [_("Received"), num(voc.get("received"))],
            [_("Complaints"), num(by_kind.get("complaint", 0))], [_("Suggestions"), num(by_kind.get("suggestion", 0))],
            [_("Compliments"), num(by_kind.get("compliment", 0))], [_("Inquiries"), num(by_kind.get("inquiry", 0))],
            [_("Open complaints"), num(voc.get("open_complaints"))],
            [_("Overdue complaints"), num(voc.get("overdue_complaints"))],
            [_("Responded in time"), pct(voc.get("responded_in_time_percent"))],
        ], numeric=frozenset({1})),
    ]))

    imp = snapshot["improvements"]
    out.append(Section("improvements", _("Improvement items"), tables=[
        Table([_("Figure"), _("Value")], [
            [_("Raised"), num(imp.get("raised"))], [_("Open"), num(imp.get("open"))],
            [_("Closed as effective"), num(imp.get("closed_effective"))], [_("Overdue"), num(imp.get("overdue"))],
        ], numeric=frozenset({1})),
        Table([_("Number"), _("Title"), _("State"), _("Owner"), _("Due date"), _("Source")],
              [[i.get("number", ""), i.get("title", ""), i.get("state", ""), i.get("owner") or DASH,
                i.get("due_date") or DASH, i.get("source_type", "")] for i in imp.get("items") or []],
              caption=_("Open items and those closed in the month")),
    ]))

    out.append(Section("trend", _("12-month trend"), tables=[
        Table([_("Month"), pgettext("ticket count", "Opened"), pgettext("ticket count", "Resolved"),
               _("Backlog at month end"), _("Mean time to resolve (h)"), _("SLA clocks"), _("Attainment"),
               _("Service requests"), _("Changes implemented"), _("CSAT")],
              [[t["month"], num(t["incidents_opened"]), num(t["incidents_resolved"]), num(t["backlog"]),
                num(t["mean_hours"]), num(t["clocks"]), pct(t["attainment"]), num(t["requests_opened"]),
                num(t["changes_implemented"]), pct(t["csat_percent"])] for t in snapshot["trend"]],
              numeric=frozenset(range(1, 10))),
    ]))
    return out
