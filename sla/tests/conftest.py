import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core.choices import Channel
from sla.tests.factories import make_calendar, make_definition

SEOUL = ZoneInfo("Asia/Seoul")


def kst(*args):
    return dt.datetime(*args, tzinfo=SEOUL)


@pytest.fixture
def kr_calendar(db):
    return make_calendar()


@pytest.fixture
def definition(kr_calendar):
    """P3: response 60 business minutes, resolution 240; pauses awaiting caller; warns 50/75/90."""
    return make_definition(calendar=kr_calendar, targets={1: (15, 60), 2: (30, 120), 3: (60, 240),
                                                          4: (120, 480), 5: (240, 960)})


@pytest.fixture
def open_incident(agent, end_user):
    from incidents import services

    def make(*, now, **fields):
        fields.setdefault("title", "메일 발송이 안 됩니다")
        fields.setdefault("caller", end_user)
        fields.setdefault("impact", 2)
        fields.setdefault("urgency", 2)  # P3
        actor = fields.pop("actor", agent)
        return services.open_incident(actor=actor, channel=Channel.WEB, now=now, **fields)

    return make


@pytest.fixture
def second_team(make_user):
    from accounts.models import Team
    from accounts.roles import Role

    group = Team.objects.create(name="Network team")
    user = make_user(Role.AGENT, username="netagent")
    group.members.add(user)
    return group, user


@pytest.fixture
def groupware(db):
    """A business service CI."""
    from cmdb.choices import BUSINESS_SERVICE_SLUG
    from cmdb.models import CIClass, ConfigurationItem

    service_class = CIClass.objects.get_or_create(slug=BUSINESS_SERVICE_SLUG, defaults={"name": "Business service"})[0]
    return ConfigurationItem.objects.create(name="Groupware", ci_class=service_class)
