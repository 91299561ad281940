"""The change form's pickers: a typed full name assigns, affected CIs suggest names."""

import pytest

from changes.models import Change
from cmdb.tests.factories import make_ci

pytestmark = pytest.mark.django_db


def test_a_typed_full_name_assigns_the_change(client, agent, other_agent):
    other_agent.display_name = "Lee Seojun"
    other_agent.save()
    make_ci("db01")
    client.force_login(agent)
    response = client.post("/changes/new/", {
        "title": "Upgrade db01", "type": "normal", "affected_cis_text": "db01",
        "assigned_to": "", "assigned_to_text": "Lee Seojun",
    })
    assert response.status_code == 302
    assert Change.objects.get().assigned_to == other_agent


def test_an_end_user_cannot_be_typed_as_implementer(client, agent, end_user):
    client.force_login(agent)
    response = client.post("/changes/new/", {"title": "x", "type": "normal", "assigned_to_text": end_user.username})
    assert response.status_code == 400
    assert "no person matches" in response.content.decode()


def test_affected_cis_box_suggests_ci_names(client, agent):
    client.force_login(agent)
    page = client.get("/changes/new/").content.decode()
    assert 'data-picker-url="/core/pick/ci/"' in page and 'data-picker-multiple="true"' in page
