"""API v1's filter backend leaves the filter set out only where it would change nothing."""

import pytest

from core.choices import Channel
from incidents import services

pytestmark = pytest.mark.django_db
LIST = "/api/v1/incidents/"


@pytest.fixture
def incidents(agent, end_user):
    return [services.open_incident(actor=agent, channel=Channel.WEB, caller=end_user, title=f"VPN drop {i}")
            for i in range(3)]


def test_a_list_without_filters_is_whole(agent_api, incidents):
    body = agent_api.get(f"{LIST}?page_size=2&ordering=-created_at&unknown=1").json()
    assert body["count"] == 3 and [r["id"] for r in body["results"]] == [incidents[2].pk, incidents[1].pk]


def test_filters_still_filter_and_refuse_bad_values(agent_api, incidents):
    assert agent_api.get(f"{LIST}?updated_after=2999-01-01").json()["count"] == 0
    assert agent_api.get(f"{LIST}?state=new").json()["count"] == 3
    response = agent_api.get(f"{LIST}?state=bogus")
    assert response.status_code == 400 and "state" in response.json()


def test_a_request_s_filter_set_holds_the_filters_it_names_alone(agent_api, incidents, team, monkeypatch):
    """The same answers as the whole filter set (a filter not named acts on nothing): every error
    of the named filters, in the filter set's order; the schema still lists every filter."""
    from core.api import filtering
    from incidents.filtersets import IncidentFilterSet

    built, narrowed = [], filtering._narrowed
    monkeypatch.setattr(filtering, "_narrowed", lambda cls, names: built.append(names) or narrowed(cls, names))
    response = agent_api.get(f"{LIST}?created_after=x&state=bogus&assignment_group=999999&page_size=2")
    assert response.status_code == 400
    assert list(response.json()) == ["state", "assignment_group", "created_after"]
    assert built == [{"state", "assignment_group", "created_after"}]
    assert agent_api.get(f"{LIST}?state=new&assignment_group={team.pk}").json()["count"] == 0
    assert agent_api.get(f"{LIST}?state=new&created_after=2000-01-01").json()["count"] == 3
    schema = agent_api.get("/api/schema/").content.decode()
    assert all(f"name: {name}\n" in schema for name in IncidentFilterSet.base_filters)
