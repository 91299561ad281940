import pytest

from cmdb.choices import BUSINESS_SERVICE_SLUG
from cmdb.models import CIClass, ConfigurationItem
from core.choices import Channel
from incidents import services as incident_services
from surveys.models import SurveySetting


@pytest.fixture
def service(db, team):
    service_class = CIClass.objects.get_or_create(slug=BUSINESS_SERVICE_SLUG, defaults={"name": "Business service"})[0]
    return ConfigurationItem.objects.create(name="Groupware", ci_class=service_class, owner_group=team)


@pytest.fixture
def survey_everything(db):
    return SurveySetting.objects.create(name="All", ticket_types=["incident", "request"], sampling_percent=100)


@pytest.fixture
def resolve_incident(agent, end_user, team, service):
    def make(caller=None, **fields):
        incident = incident_services.open_incident(
            actor=agent, channel=Channel.WEB, title=fields.pop("title", "메일이 안 됩니다"), caller=caller or end_user,
            service=service, assignment_group=team, **fields)
        return incident_services.resolve(incident, actor=agent, channel=Channel.WEB, code="solved_workaround",
                                         notes="Restarted the mail service.")

    return make
