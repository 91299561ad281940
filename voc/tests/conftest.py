import pytest

from cmdb.choices import BUSINESS_SERVICE_SLUG
from cmdb.models import CIClass, ConfigurationItem
from core.choices import Channel
from voc import services


@pytest.fixture
def owners(db, make_user):
    from accounts.models import Team
    from accounts.roles import Role

    boss = make_user(Role.MANAGER, username="owner_manager")
    team = Team.objects.create(name="Groupware owners", manager=boss)
    team.members.add(boss)
    return team


@pytest.fixture
def service(db, owners):
    service_class = CIClass.objects.get_or_create(slug=BUSINESS_SERVICE_SLUG, defaults={"name": "Business service"})[0]
    return ConfigurationItem.objects.create(name="Groupware", ci_class=service_class, owner_group=owners)


@pytest.fixture
def complaint(agent, end_user, service):
    return services.create_voc(actor=end_user, channel=Channel.PORTAL, kind="complaint", title="답변이 늦습니다",
                               description="일주일째 답이 없습니다.", service=service, source="portal")
