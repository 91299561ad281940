"""The incident form's pickers: a typed full name or CI name is enough, no id needed."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from cmdb.tests.factories import make_ci
from incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def minji(make_user):
    return make_user(Role.END_USER, username="minji", display_name="Kim Minji")


def test_a_typed_full_name_and_ci_name_create_the_incident(client, agent, other_agent, minji):
    other_agent.display_name = "Lee Seojun"
    other_agent.save()
    mail = make_ci("mail-01")
    client.force_login(agent)
    response = client.post(reverse("incidents:incident_create"), {
        "title": "메일 접속 불가", "caller": "", "caller_text": "kim minji", "impact": 2, "urgency": 2,
        "configuration_item": "", "configuration_item_text": "mail-01",
        "assigned_to": "", "assigned_to_text": "Lee Seojun",
    })
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert (incident.caller, incident.configuration_item, incident.assigned_to) == (minji, mail, other_agent)


def test_an_edit_shows_names_and_a_typed_name_changes_the_caller(client, agent, end_user, minji, open_incident):
    incident = open_incident(caller=end_user)
    client.force_login(agent)
    page = client.get(reverse("incidents:incident_detail", args=[incident.pk])).content.decode()
    assert f'name="caller_text" value="{end_user.display_name} ({end_user.email})"' in page
    client.post(reverse("incidents:incident_update", args=[incident.pk]), {
        "title": incident.title, "caller": str(end_user.pk), "caller_text": "Kim Minji", "impact": 3, "urgency": 3,
        "version": incident.version,
    })
    incident.refresh_from_db()
    assert incident.caller == minji


def test_an_unknown_name_is_refused_and_what_was_typed_stays(client, agent, minji):
    client.force_login(agent)
    response = client.post(reverse("incidents:incident_create"), {
        "title": "메일 접속 불가", "caller_text": "Kim Minjee", "impact": 2, "urgency": 2,
    })
    page = response.content.decode()
    assert response.status_code == 400
    assert "Caller: no person matches “Kim Minjee”" in page
    assert 'value="Kim Minjee"' in page and 'value="메일 접속 불가"' in page
    assert not Incident.objects.exists()


def test_an_incident_whose_caller_has_left_can_still_be_saved(client, agent, minji, open_incident):
    incident = open_incident(caller=minji)
    minji.is_active = False
    minji.save()
    client.force_login(agent)
    form_page = client.get(reverse("incidents:incident_detail", args=[incident.pk])).content.decode()
    assert 'name="caller_text" value="Kim Minji' in form_page
    response = client.post(reverse("incidents:incident_update", args=[incident.pk]), {
        "title": "새 제목", "caller": str(minji.pk), "caller_text": f"Kim Minji ({minji.email})", "impact": 3,
        "urgency": 3, "version": incident.version,
    })
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.title, incident.caller) == ("새 제목", minji)
