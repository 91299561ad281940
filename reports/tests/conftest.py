import datetime as dt

import pytest

from core.choices import Channel
from incidents import services as incident_services
from sla import sweep as sla_sweep
from sla.tests.conftest import definition, groupware, kr_calendar, kst, open_incident, second_team  # noqa: F401

NOV = dt.date(2026, 11, 1)
AFTER_NOV = kst(2026, 12, 1, 9, 0)


@pytest.fixture
def finance(end_user):
    return end_user.organisation


@pytest.fixture
def seeded(definition, open_incident, agent, groupware, team):  # noqa: F811
    """Groupware, November 2026 (KST): three incidents resolved after 2, 10 and 24 hours (P3), one
    opened in October and still open; the SLA sweep settles the breaches on 1 December."""
    made = {"old": open_incident(now=kst(2026, 10, 20, 10, 0), service=groupware, assignment_group=team)}
    for name, opened, hours in (("b", kst(2026, 11, 2, 10, 0), 2), ("c", kst(2026, 11, 3, 10, 0), 10),
                                ("d", kst(2026, 11, 4, 10, 0), 24)):
        made[name] = open_incident(now=opened, service=groupware, assignment_group=team, title=name)
        incident_services.resolve(made[name], actor=agent, channel=Channel.WEB, code="solved_permanently",
                                  notes="ok", now=opened + dt.timedelta(hours=hours))
    made["p1"] = open_incident(now=kst(2026, 11, 5, 10, 0), service=groupware, assignment_group=team,
                               impact=1, urgency=1, title="전체 장애")
    sla_sweep.sweep(now=AFTER_NOV)
    return made
