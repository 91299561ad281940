"""The release form's assignee picker: a typed full name is enough."""

import pytest
from django.urls import reverse

from core.choices import Channel
from releases.models import Release
from releases.services import create_release

pytestmark = pytest.mark.django_db


def test_a_typed_full_name_assigns_the_release(client, agent, other_agent):
    other_agent.display_name = "Lee Seojun"
    other_agent.save()
    client.force_login(agent)
    response = client.post(reverse("releases:release_create"), {
        "title": "Payroll", "version_label": "2.0", "assigned_to": "", "assigned_to_text": "LEE SEOJUN",
    })
    assert response.status_code == 302
    assert Release.objects.get().assigned_to == other_agent


def test_an_edit_shows_the_assignee_by_name(client, agent, other_agent):
    release = create_release(actor=agent, channel=Channel.WEB, title="Payroll", version_label="2.0",
                             assigned_to=other_agent)
    client.force_login(agent)
    page = client.get(reverse("releases:release_update", args=[release.pk])).content.decode()
    assert f'name="assigned_to_text" value="{other_agent.display_name} ({other_agent.email})"' in page
