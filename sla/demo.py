"""Demo data for service level management; called by `manage.py seed_demo` in dependency order.

Leaves ctx.shared["sla_calendars"] (by key: kr_office, kr_government, always) and
ctx.shared["sla_definitions"] (by key: incident_standard, incident_critical, network_ola).
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from core import demo
from core.choices import Channel
from core.demo import say
from sla import services
from sla.models import BusinessCalendar, SLADefinition

WEEKDAYS = range(5)


def _hours(*spans):
    return [{"weekday": day, "start": dt.time(*start), "end": dt.time(*end)}
            for day in WEEKDAYS for start, end in spans]


CALENDARS = {
    "kr_office": {"name": "KR office 09:00–18:00", "time_zone": "Asia/Seoul", "holiday_country": "KR",
                  "holiday_language": "ko", "description": "Korean business days, lunch counted.",
                  "hours": _hours(((9, 0), (18, 0)))},
    "kr_government": {"name": "KR public sector 09:00–18:00 (lunch excluded)", "time_zone": "Asia/Seoul",
                      "holiday_country": "KR", "holiday_language": "ko",
                      "description": "Government offices: lunch 12:00–13:00 does not count.",
                      "hours": _hours(((9, 0), (12, 0)), ((13, 0), (18, 0)))},
    "always": {"name": "24×7", "time_zone": "Asia/Seoul", "always_open": True,
               "description": "Round the clock, holidays included.", "hours": []},
}

# priority: (response, resolution) in business minutes
STANDARD_TARGETS = {2: (30, 8 * 60), 3: (60, 2 * 9 * 60), 4: (4 * 60, 5 * 9 * 60), 5: (9 * 60, 10 * 9 * 60)}
CRITICAL_TARGETS = {1: (15, 4 * 60)}
OLA_TARGETS = {p: (None, minutes) for p, minutes in {1: 2 * 60, 2: 6 * 60, 3: 9 * 60, 4: 3 * 9 * 60, 5: 5 * 9 * 60}.items()}


demo.korean({
    "KR office 09:00–18:00": "한국 사무실 09:00–18:00", "Korean business days, lunch counted.": "한국 영업일, 점심시간 포함",
    "KR public sector 09:00–18:00 (lunch excluded)": "공공기관 09:00–18:00 (점심시간 제외)",
    "Government offices: lunch 12:00–13:00 does not count.": "관공서 기준: 점심시간 12:00–13:00은 계산하지 않습니다.",
    "24×7": "24시간 365일", "Round the clock, holidays included.": "공휴일 포함 상시 운영",
    "Incidents: standard (P2–P5, KR office)": "인시던트 표준 SLA (P2–P5, 한국 사무실)",
    "Resolution target breached; group manager notified.": "해결 목표 위반: 그룹 관리자에게 알렸습니다.",
    "Incidents: critical (P1, 24×7)": "인시던트 긴급 SLA (P1, 24시간)",
    "P1 target breached: duty manager alerted.": "P1 목표 위반: 당직 관리자에게 알렸습니다.",
    "OLA: Network Operations": "OLA: 네트워크 운영",
})


def _calendar(key):
    spec = dict(CALENDARS[key])
    hours = spec.pop("hours")
    spec.update(name=say(spec["name"]), description=say(spec["description"]))
    existing = BusinessCalendar.objects.filter(name=spec["name"]).first()
    if existing is not None:
        return existing
    return services.save_calendar(None, actor=None, channel=Channel.SYSTEM, fields=spec, working_hours=hours)


def _definition(name, *, calendar, targets, rules=(), **fields):
    name = say(name)
    rules = [{**rule, "message": say(rule["message"])} if "message" in rule else rule for rule in rules]
    existing = SLADefinition.objects.filter(name=name).first()
    if existing is not None:
        return existing
    # The demo agreements are for incidents; named by app label so the SLA engine imports no
    # ticket app (the layering contract in pyproject.toml).
    incident_type = ContentType.objects.get_by_natural_key("incidents", "incident")
    definition = services.save_definition(None, actor=None, channel=Channel.SYSTEM, fields={
        "name": name, "ticket_type": incident_type, "calendar": calendar, **fields,
    }, targets=[{"priority": p, "response_minutes": r, "resolution_minutes": s} for p, (r, s) in targets.items()])
    for rule in rules:
        services.save_escalation_rule(None, actor=None, channel=Channel.SYSTEM,
                                      fields={"definition": definition, **rule})
    return definition


def seed(ctx):
    """Create this module's demo records. Idempotent (looks records up by name)."""
    calendars = {key: _calendar(key) for key in CALENDARS}
    teams = {team.name: team for team in ctx.shared.get("teams") or []}
    network = teams.get(say("Network Operations"))
    definitions = {
        "incident_standard": _definition(
            "Incidents: standard (P2–P5, KR office)", calendar=calendars["kr_office"], targets=STANDARD_TARGETS,
            applies_to={"priorities": [2, 3, 4, 5]},
            rules=[{"threshold": 90, "action": "notify_assignee", "kind": "resolution"},
                   {"threshold": 100, "action": "notify_group_manager"},
                   {"threshold": 100, "action": "work_note", "kind": "resolution",
                    "message": "Resolution target breached; group manager notified."}]),
        "incident_critical": _definition(
            "Incidents: critical (P1, 24×7)", calendar=calendars["always"], targets=CRITICAL_TARGETS,
            applies_to={"priorities": [1]},
            rules=[{"threshold": 50, "action": "notify_group_manager", "kind": "resolution"},
                   {"threshold": 100, "action": "notify_group_manager"},
                   {"threshold": 100, "action": "work_note", "message": "P1 target breached: duty manager alerted."}]),
    }
    if network is not None:
        definitions["network_ola"] = _definition(
            "OLA: Network Operations", calendar=calendars["kr_government"], targets=OLA_TARGETS, agreement="ola",
            applies_to={"assignment_groups": [network.pk]},
            rules=[{"threshold": 100, "action": "notify_group_manager"}])
    ctx.shared["sla_calendars"] = calendars
    ctx.shared["sla_definitions"] = definitions
    ctx.log(f"  sla: {len(calendars)} calendars, {len(definitions)} agreements")


def finish(ctx):
    """After every seeder: the demo's back-dated clocks reach their warnings and breaches now,
    while seeding is quiet, not on the worker's first sweep (which would mail about them)."""
    from sla.sweep import sweep

    sweep()
