"""Issue 16's loop across its apps, through their real services and the outbox: a complaint filed
in the portal and a low survey score each become an improvement item with an owner, and the
monthly figures the dashboards and reports read count them."""

import datetime as dt

import pytest
from django.utils import timezone

from cmdb.choices import BUSINESS_SERVICE_SLUG
from cmdb.models import CIClass, ConfigurationItem
from core import outbox
from core.choices import Channel
from improvements import selectors as improvement_selectors
from improvements.models import Improvement
from incidents import services as incident_services
from surveys import selectors as survey_selectors
from surveys import services as survey_services
from surveys.models import Survey, SurveySetting
from voc import selectors as voc_selectors
from voc import services as voc_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def service_owner(make_user):
    from accounts.models import Team
    from accounts.roles import Role

    boss = make_user(Role.MANAGER, username="groupware_boss")
    owners = Team.objects.create(name="Groupware owners", manager=boss)
    owners.members.add(boss)
    return owners


@pytest.fixture
def service(service_owner):
    service_class = CIClass.objects.get_or_create(slug=BUSINESS_SERVICE_SLUG, defaults={"name": "Business service"})[0]
    return ConfigurationItem.objects.create(name="Groupware", ci_class=service_class, owner_group=service_owner)


def _month():
    now = timezone.now()
    return now - dt.timedelta(days=1), now + dt.timedelta(days=1)


def test_a_portal_complaint_becomes_an_improvement_owned_by_the_service_owners_manager(end_user, service,
                                                                                       service_owner):
    complaint = voc_services.create_voc(actor=end_user, channel=Channel.PORTAL, kind="complaint",
                                        title="답변이 일주일째 없습니다", service=service, source="portal")
    outbox.deliver_due()

    item = Improvement.objects.get(source_type="complaint")
    assert item.source_label == complaint.number
    assert item.owner == service_owner.manager
    assert item.service == service
    start, end = _month()
    assert voc_selectors.voc_summary(start=start, end=end)["by_kind"]["complaint"] == 1
    assert improvement_selectors.improvement_summary(start=start, end=end)["by_source"] == {"complaint": 1}


def test_a_suggestion_raises_no_improvement(end_user, service):
    voc_services.create_voc(actor=end_user, channel=Channel.PORTAL, kind="suggestion", title="다크 모드",
                            service=service, source="portal")
    outbox.deliver_due()
    assert not Improvement.objects.exists()


def test_a_low_score_becomes_an_improvement_owned_by_the_resolving_teams_manager(agent, end_user, team, manager,
                                                                                 service):
    team.manager = manager
    team.save(update_fields=["manager"])
    SurveySetting.objects.create(name="All", ticket_types=["incident"], sampling_percent=100)
    incident = incident_services.open_incident(actor=agent, channel=Channel.WEB, title="메일이 안 됩니다",
                                               caller=end_user, service=service, assignment_group=team)
    incident_services.resolve(incident, actor=agent, channel=Channel.WEB, code="solved_workaround",
                              notes="Restarted the mail service.")
    survey = Survey.objects.get(ticket_number=incident.number)

    survey_services.answer(survey, score=1, comment="두 번이나 다시 연락해야 했습니다", actor=end_user)
    outbox.deliver_due()

    item = Improvement.objects.get(source_type="low_satisfaction")
    assert item.owner == manager
    assert incident.number in item.source_label
    start, end = _month()
    figures = survey_selectors.satisfaction(start=start, end=end)
    assert (figures["responses"], figures["low_scores"], figures["csat_percent"], figures["score_100"]) == (1, 1, 0.0,
                                                                                                           0.0)
