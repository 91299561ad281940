import pytest

from accounts.roles import Role
from cmdb.choices import BUSINESS_SERVICE_SLUG
from cmdb.models import CIClass, ConfigurationItem, Relationship
from core.choices import Channel
from incidents import services
from incidents.models import Category


@pytest.fixture
def caller(end_user):
    return end_user


@pytest.fixture
def open_incident(agent, end_user):
    """Open an incident as the agent for the end user; keyword arguments override."""

    def make(**fields):
        fields.setdefault("title", "메일 발송이 안 됩니다")
        fields.setdefault("caller", end_user)
        actor = fields.pop("actor", agent)
        channel = fields.pop("channel", Channel.WEB)
        return services.open_incident(actor=actor, channel=channel, **fields)

    return make


@pytest.fixture
def network(db):
    parent = Category.objects.create(name="Network", slug="network")
    vpn = Category.objects.create(name="VPN", slug="vpn", parent=parent)
    return parent, vpn


@pytest.fixture
def estate(db, team):
    """A business service (Groupware) that needs a mail server owned by the desk team."""
    service_class = CIClass.objects.get_or_create(slug=BUSINESS_SERVICE_SLUG, defaults={"name": "Business service"})[0]
    server_class = CIClass.objects.get_or_create(slug="server", defaults={"name": "Server"})[0]
    groupware = ConfigurationItem.objects.create(name="Groupware", ci_class=service_class)
    mail = ConfigurationItem.objects.create(name="mail-01", ci_class=server_class, owner_group=team)
    Relationship.objects.create(source=groupware, target=mail, type="depends_on")
    return groupware, mail


@pytest.fixture
def second_team_agent(make_user):
    from accounts.models import Team

    other = Team.objects.create(name="Network team")
    user = make_user(Role.AGENT, username="netagent")
    other.members.add(user)
    return other, user
