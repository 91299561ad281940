"""Builders for SLA records in tests."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from sla.models import BusinessCalendar, EscalationRule, SLADefinition, SLATarget, WorkingInterval


# priority: (response, resolution) business minutes
DEFAULT_TARGETS = {1: (15, 60), 2: (30, 120), 3: (60, 240), 4: (120, 480), 5: (240, 960)}


def make_calendar(name="KR office", *, hours=((dt.time(9), dt.time(18)),), days=range(5), country="KR",
                  time_zone="Asia/Seoul", always_open=False):
    calendar = BusinessCalendar.objects.create(name=name, time_zone=time_zone, holiday_country=country,
                                               holiday_language="ko", always_open=always_open)
    for weekday in days:
        for start, end in hours:
            WorkingInterval.objects.create(calendar=calendar, weekday=weekday, start=start, end=end)
    calendar.refresh_from_db()
    return calendar


def make_definition(name="Incident SLA", *, model=None, calendar=None, targets=None, rules=(), **fields):
    """targets: {priority: (response_minutes, resolution_minutes)}."""
    from incidents.models import Incident

    definition = SLADefinition(name=name, ticket_type=ContentType.objects.get_for_model(model or Incident),
                               calendar=calendar, **fields)
    definition.full_clean()
    definition.save()
    for priority, (response, resolution) in (targets or DEFAULT_TARGETS).items():
        SLATarget.objects.create(definition=definition, priority=priority, response_minutes=response,
                                 resolution_minutes=resolution)
    for rule in rules:
        EscalationRule.objects.create(definition=definition, **rule)
    return definition
