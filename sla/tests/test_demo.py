import pytest

from sla import demo
from sla.models import BusinessCalendar, SLADefinition

pytestmark = pytest.mark.django_db


class Ctx:
    def __init__(self, teams):
        self.shared = {"teams": teams}

    def log(self, message):
        pass


def test_demo_is_idempotent_and_leaves_handles():
    from accounts.models import Team

    teams = [Team.objects.create(name="Network Operations")]
    ctx = Ctx(teams)
    demo.seed(ctx)
    demo.seed(Ctx(teams))
    assert BusinessCalendar.objects.count() == 3
    assert SLADefinition.objects.count() == 3
    assert set(ctx.shared["sla_definitions"]) == {"incident_standard", "incident_critical", "network_ola"}
    lunch = ctx.shared["sla_calendars"]["kr_government"]
    assert lunch.intervals.count() == 10
